// torch.scatter_add_: dst[i with coordinate `dim` replaced by index[i]] += src[i] for every i of index's
// shape. One work-item per fibre (all coordinates but `dim`; fshape has size 1 there) walks the fibre in
// order: items never write the same element, so no atomics are needed and the sums are deterministic, in the
// reference's order. len is index's size along dim; istep, sstep its and src's strides there.
__kernel void scatter_add(__global float* dst, int doff, int8 ds, int ddstride, int ddsize,
                          __global const int* index, int ioff, int8 is, int istep,
                          __global const float* src, int soff, int8 ss, int sstep,
                          __global int* err, int nfibres, int len, int rank, int8 fshape) {
    int f = get_global_id(0);
    if (f >= nfibres) {
        return;
    }
    int8 idx = unravel(f, rank, fshape);
    int ib = ioff + dot8(idx, is);
    int sb = soff + dot8(idx, ss);
    int db = doff + dot8(idx, ds);
    for (int j = 0; j < len; j++) {
        int p = index[ib + j * istep];
        if (p < 0 || p >= ddsize) {
            report_bad_index(err, p);
            continue;
        }
        dst[db + p * ddstride] += src[sb + j * sstep];
    }
}
