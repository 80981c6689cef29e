// One work-item per output: the index of the first maximum along the reduced dimension. As the reference:
// element 0 starts as the best, and a later element wins only if strictly greater (so NaN never wins later).
__kernel void argmax(__global const float* x, int xoff, int8 xs, int xstep, int len,
                     __global int* out, int ooff, int8 os,
                     int nout, int rank, int8 shape) {
    int o = get_global_id(0);
    if (o >= nout) {
        return;
    }
    int8 idx = unravel(o, rank, shape);
    int base = xoff + dot8(idx, xs);
    int best = 0;
    float bestv = len > 0 ? x[base] : 0.0f;
    for (int j = 1; j < len; j++) {
        float v = x[base + j * xstep];
        if (v > bestv) {
            bestv = v;
            best = j;
        }
    }
    out[ooff + dot8(idx, os)] = best;
}
