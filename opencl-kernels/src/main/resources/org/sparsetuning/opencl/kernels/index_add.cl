// dst.index_add_(dim, index, src): dst[.., index[j], ..] += src[.., j, ..]. One work-item per fibre of src
// (all coordinates but `dim`) walks j in order: deterministic, no atomics, the reference's summation order.
__kernel void index_add(__global float* dst, int doff, int8 ds, int ddstride, int ddsize,
                        __global const int* index, int ioff, int istride,
                        __global const float* src, int soff, int8 ss, int sstep,
                        __global int* err, int nfibres, int len, int rank, int8 fshape) {
    int f = get_global_id(0);
    if (f >= nfibres) {
        return;
    }
    int8 idx = unravel(f, rank, fshape);
    int sb = soff + dot8(idx, ss);
    int db = doff + dot8(idx, ds);
    for (int j = 0; j < len; j++) {
        int p = index[ioff + j * istride];
        if (p < 0 || p >= ddsize) {
            report_bad_index(err, p);
            continue;
        }
        dst[db + p * ddstride] += src[sb + j * sstep];
    }
}
