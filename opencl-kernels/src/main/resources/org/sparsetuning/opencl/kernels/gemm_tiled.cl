// C = act(A·B + bias) for a batch of matrices: A [M, K], B [K, N] strided (row- or column-major, or any
// strides), C contiguous [M, N] per batch entry. Tile sizes come from -D options:
//   TSM × TSN  outputs per work-group, TSK  depth of one local-memory step,
//   WPTM × WPTN outputs per work-item (register blocking), so a work-group is (TSN/WPTN) × (TSM/WPTM) items.
// Each step loads a TSM×TSK tile of A and a TSK×TSN tile of B into local memory (consecutive items read along
// whichever dimension has unit stride, so loads coalesce for both layouts), then every item accumulates its
// WPTM×WPTN block from registers. Edges are zero-padded on load and masked on store.
#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_tiled(__global const float* A, int aoff, int ars, int acs,
                __global const float* B, int boff, int brs, int bcs,
                __global float* C, int coff,
                __global const float* bias, int biasoff, int biasstride, int hasbias, int act,
                int M, int N, int K,
                int brank, int8 bshape, int8 abs_, int8 bbs) {
    __local float As[TSK][TSM];
    __local float Bs[TSK][TSN];
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int n0 = get_group_id(0) * TSN;
    const int m0 = get_group_id(1) * TSM;
    const int bz = get_global_id(2);
    const int8 bidx = unravel(bz, brank, bshape);
    const int abase = aoff + dot8(bidx, abs_);
    const int bbase = boff + dot8(bidx, bbs);
    const int tid = ty * RTSN + tx;
    const int nthreads = RTSM * RTSN;

    float acc[WPTM][WPTN];
    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        #pragma unroll
        for (int wn = 0; wn < WPTN; wn++) {
            acc[wm][wn] = 0.0f;
        }
    }

    for (int k0 = 0; k0 < K; k0 += TSK) {
        for (int l = tid; l < TSM * TSK; l += nthreads) {
            int mm = acs == 1 ? l / TSK : l % TSM;
            int kk = acs == 1 ? l % TSK : l / TSM;
            int gm = m0 + mm;
            int gk = k0 + kk;
            As[kk][mm] = (gm < M && gk < K) ? A[abase + gm * ars + gk * acs] : 0.0f;
        }
        for (int l = tid; l < TSK * TSN; l += nthreads) {
            int nn = bcs == 1 ? l % TSN : l / TSK;
            int kk = bcs == 1 ? l / TSN : l % TSK;
            int gk = k0 + kk;
            int gn = n0 + nn;
            Bs[kk][nn] = (gk < K && gn < N) ? B[bbase + gk * brs + gn * bcs] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        #pragma unroll
        for (int kk = 0; kk < TSK; kk++) {
            float breg[WPTN];
            #pragma unroll
            for (int wn = 0; wn < WPTN; wn++) {
                breg[wn] = Bs[kk][tx + wn * RTSN];
            }
            #pragma unroll
            for (int wm = 0; wm < WPTM; wm++) {
                float a = As[kk][ty + wm * RTSM];
                #pragma unroll
                for (int wn = 0; wn < WPTN; wn++) {
                    acc[wm][wn] = fma(a, breg[wn], acc[wm][wn]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    const int cbase = coff + bz * M * N;
    #pragma unroll
    for (int wm = 0; wm < WPTM; wm++) {
        int m = m0 + ty + wm * RTSM;
        #pragma unroll
        for (int wn = 0; wn < WPTN; wn++) {
            int n = n0 + tx + wn * RTSN;
            if (m < M && n < N) {
                float v = acc[wm][wn];
                if (hasbias) {
                    v += bias[biasoff + n * biasstride];
                }
                if (act == 1) {
                    v = v > 0.0f ? v : 0.0f;
                } else if (act == 2) {
                    v = gelu_exact(v);
                }
                C[cbase + m * N + n] = v;
            }
        }
    }
}
