// Softmax (or log-softmax, logsm = 1) over the last dimension, one work-group per row. Rows are the
// elements of the leading shape (rank, rshape) of strided x and y; xcs and ycs are the last dimension's
// strides. WG (a power of two) comes from -DWG=.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void softmax(__global const float* x, int xoff, int8 xs, int xcs,
             __global float* y, int yoff, int8 ys, int ycs,
             int n, int rank, int8 rshape, int logsm) {
    __local float red[WG];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int8 ri = unravel(row, rank, rshape);
    int xb = xoff + dot8(ri, xs);
    int yb = yoff + dot8(ri, ys);
    float m = -INFINITY;
    for (int j = lid; j < n; j += WG) {
        m = max_nan(m, x[xb + j * xcs]);
    }
    m = group_max(red, m);
    float s = 0.0f;
    for (int j = lid; j < n; j += WG) {
        s += exp(x[xb + j * xcs] - m);
    }
    s = group_sum(red, s);
    float logs = log(s);
    for (int j = lid; j < n; j += WG) {
        float z = x[xb + j * xcs] - m;
        y[yb + j * ycs] = logsm ? z - logs : exp(z) / s;
    }
}
