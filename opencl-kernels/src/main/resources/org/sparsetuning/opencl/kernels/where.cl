// out = mask != 0 ? a : b over strided views of out's shape. M_T, A_T, B_T (float or int) come from -D options.
__kernel void where(__global const M_T* mask, int moff, int8 ms,
                    __global const A_T* a, int aoff, int8 as,
                    __global const B_T* b, int boff, int8 bs,
                    __global float* out, int ooff, int8 os,
                    int n, int rank, int8 shape) {
    int i = get_global_id(0);
    if (i < n) {
        int8 idx = unravel(i, rank, shape);
        out[ooff + dot8(idx, os)] = mask[moff + dot8(idx, ms)] != 0
                ? (float) a[aoff + dot8(idx, as)] : (float) b[boff + dot8(idx, bs)];
    }
}
