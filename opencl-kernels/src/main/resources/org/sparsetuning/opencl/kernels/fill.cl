// dst[i] = value for every element of a strided view. T (float or int) comes from -DT=.
__kernel void fill(__global T* dst, int n, int rank, int8 shape, int8 ds, int doff, T value) {
    int i = get_global_id(0);
    if (i < n) {
        dst[doff + dot8(unravel(i, rank, shape), ds)] = value;
    }
}
