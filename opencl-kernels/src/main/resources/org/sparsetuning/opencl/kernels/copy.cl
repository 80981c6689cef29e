// dst = convert(src) between strided views of one shape. SRC_T, DST_T and the conversion CONV come from -D
// options: float→int truncates toward zero, saturates, and maps NaN to 0, as Java's (int) cast does.
__kernel void copy(__global const SRC_T* src, int soff, int8 ss,
                   __global DST_T* dst, int doff, int8 ds,
                   int n, int rank, int8 shape) {
    int i = get_global_id(0);
    if (i < n) {
        int8 idx = unravel(i, rank, shape);
        dst[doff + dot8(idx, ds)] = CONV(src[soff + dot8(idx, ss)]);
    }
}
