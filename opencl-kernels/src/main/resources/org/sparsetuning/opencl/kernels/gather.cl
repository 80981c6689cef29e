// torch.gather: out[i] = x[i with coordinate `dim` replaced by index[i]], one work-item per element of index's
// shape. xs carries x's strides with the gathered dimension zeroed; xdstride is that dimension's stride and
// xdsize its size (bounds). An out-of-range index is reported through err and its element left 0.
__kernel void gather(__global const float* x, int xoff, int8 xs, int xdstride, int xdsize,
                     __global const int* index, int ioff, int8 is,
                     __global float* out, int ooff, int8 os,
                     __global int* err, int n, int rank, int8 shape) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int8 idx = unravel(i, rank, shape);
    int p = index[ioff + dot8(idx, is)];
    float v = 0.0f;
    if (p < 0 || p >= xdsize) {
        report_bad_index(err, p);
    } else {
        v = x[xoff + dot8(idx, xs) + p * xdstride];
    }
    out[ooff + dot8(idx, os)] = v;
}
