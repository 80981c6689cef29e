// One work-group per output: out[o] = reduce_j x[o, j] over `len` elements `xstep` apart, the items striding
// through the row and meeting in local memory. Used when the reduced dimension is contiguous or there are
// few outputs. WG (a power of two) comes from -DWG=. op: 0 sum, 1 mean, 2 max (NaN wins).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void reduce_rows(__global const float* x, int xoff, int8 xs, int xstep, int len,
                 __global float* out, int ooff, int8 os,
                 int nout, int rank, int8 shape, int op) {
    __local float red[WG];
    int o = get_group_id(0);
    int lid = get_local_id(0);
    int8 idx = unravel(o, rank, shape);
    int base = xoff + dot8(idx, xs);
    float r;
    if (op == 2) {
        float m = -INFINITY;
        for (int j = lid; j < len; j += WG) {
            m = max_nan(m, x[base + j * xstep]);
        }
        r = group_max(red, m);
    } else {
        // Kahan-compensated partial sums: float accumulation over long rows stays near the reference's double.
        float s = 0.0f;
        float c = 0.0f;
        for (int j = lid; j < len; j += WG) {
            float y = x[base + j * xstep] - c;
            float t = s + y;
            c = (t - s) - y;
            s = t;
        }
        r = group_sum(red, s);
        if (op == 1) {
            r /= (float) len;
        }
    }
    if (lid == 0) {
        out[ooff + dot8(idx, os)] = r;
    }
}
