// The k largest values of each row (last dimension, n long, stride xcs) in descending order, ties to the lower
// index. One work-item per (row, element) counts the elements that beat it; that count is its rank, and the k
// elements ranked below k write themselves out. O(n) per item: rows are token scores, a few hundred long.
__kernel void topk(__global const float* x, int xoff, int8 xs, int xcs,
                   __global float* values, __global int* indices, int voff, int ioff,
                   int n, int k, int rows, int rank, int8 rshape) {
    int g = get_global_id(0);
    if (g >= rows * n) {
        return;
    }
    int row = g / n;
    int j = g % n;
    int xb = xoff + dot8(unravel(row, rank, rshape), xs);
    float v = x[xb + j * xcs];
    int r = 0;
    for (int i = 0; i < n && r < k; i++) {
        float u = x[xb + i * xcs];
        if (u > v || (u == v && i < j)) {
            r++;
        }
    }
    if (r < k) {
        values[voff + row * k + r] = v;
        indices[ioff + row * k + r] = j;
    }
}
