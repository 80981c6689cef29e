// out = x.index_select(dim, index): out[i] = x[i with coordinate `dim` replaced by index[i_dim]], one
// work-item per output element. xs has the selected dimension zeroed; dimsel is 1 at the component of `dim`
// in the right-aligned multi-index and 0 elsewhere, so dot8(idx, dimsel) is the coordinate along dim.
__kernel void index_select(__global const float* x, int xoff, int8 xs, int xdstride, int xdsize,
                           __global const int* index, int ioff, int istride,
                           __global float* out, int ooff, int8 os,
                           __global int* err, int n, int rank, int8 shape, int8 dimsel) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int8 idx = unravel(i, rank, shape);
    int p = index[ioff + dot8(idx, dimsel) * istride];
    float v = 0.0f;
    if (p < 0 || p >= xdsize) {
        report_bad_index(err, p);
    } else {
        v = x[xoff + dot8(idx, xs) + p * xdstride];
    }
    out[ooff + dot8(idx, os)] = v;
}
