// One work-item per output: out[o] = reduce_j x[o, j], walking the reduced dimension `xstep` apart. Used when
// the reduced dimension is strided and neighbouring outputs are neighbours in memory (reads coalesce across
// items). op: 0 sum, 1 mean, 2 max (NaN wins).
__kernel void reduce_cols(__global const float* x, int xoff, int8 xs, int xstep, int len,
                          __global float* out, int ooff, int8 os,
                          int nout, int rank, int8 shape, int op) {
    int o = get_global_id(0);
    if (o >= nout) {
        return;
    }
    int8 idx = unravel(o, rank, shape);
    int base = xoff + dot8(idx, xs);
    float r;
    if (op == 2) {
        r = -INFINITY;
        for (int j = 0; j < len; j++) {
            r = max_nan(r, x[base + j * xstep]);
        }
    } else {
        float s = 0.0f;
        float c = 0.0f;
        for (int j = 0; j < len; j++) {
            float y = x[base + j * xstep] - c;
            float t = s + y;
            c = (t - s) - y;
            s = t;
        }
        r = op == 1 ? s / (float) len : s;
    }
    out[ooff + dot8(idx, os)] = r;
}
