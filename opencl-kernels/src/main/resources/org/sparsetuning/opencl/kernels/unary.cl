// out = f(x) elementwise over strided views; op is the ordinal of UnaryOp. X_T comes from -DX_T=.
__kernel void unary(__global const X_T* x, int xoff, int8 xs,
                    __global float* out, int ooff, int8 os,
                    int n, int rank, int8 shape, int op) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int8 idx = unravel(i, rank, shape);
    float v = (float) x[xoff + dot8(idx, xs)];
    float r;
    switch (op) {
        case 0: r = -v; break;                                  // NEG
        case 1: r = exp(v); break;                              // EXP
        case 2: r = log(v); break;                              // LOG
        case 3: r = sqrt(v); break;                             // SQRT
        case 4: r = rsqrt(v); break;                            // RSQRT
        case 5: r = tanh(v); break;                             // TANH
        case 6: r = 1.0f / (1.0f + exp(-v)); break;             // SIGMOID
        case 7: r = v > 0.0f ? v : 0.0f; break;                 // RELU (NaN → 0, as the reference)
        case 8: r = gelu_exact(v); break;                       // GELU
        case 9: r = fabs(v); break;                             // ABS
        case 10: r = v * v; break;                              // SQUARE
        default: r = 1.0f / v; break;                           // RECIPROCAL
    }
    out[ooff + dot8(idx, os)] = r;
}
