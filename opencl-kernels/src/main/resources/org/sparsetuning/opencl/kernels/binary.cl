// out = f(a, b) elementwise; a and b are strided views of out's shape (broadcast dimensions have stride 0) and
// out may be one of them (in-place). op is the ordinal of BinaryOp. A_T and B_T come from -D options.
__kernel void binary(__global const A_T* a, int aoff, int8 as,
                     __global const B_T* b, int boff, int8 bs,
                     __global float* out, int ooff, int8 os,
                     int n, int rank, int8 shape, int op) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int8 idx = unravel(i, rank, shape);
    float x = (float) a[aoff + dot8(idx, as)];
    float y = (float) b[boff + dot8(idx, bs)];
    float r;
    switch (op) {
        case 0: r = x + y; break;                               // ADD
        case 1: r = x - y; break;                               // SUB
        case 2: r = x * y; break;                               // MUL
        case 3: r = x / y; break;                               // DIV
        case 4: r = pow(x, y); break;                           // POW
        case 5: r = (isnan(x) || isnan(y)) ? NAN : fmax(x, y); break;  // MAX (Java: NaN wins)
        case 6: r = (isnan(x) || isnan(y)) ? NAN : fmin(x, y); break;  // MIN
        case 7: r = x == y ? 1.0f : 0.0f; break;                // EQ
        case 8: r = x != y ? 1.0f : 0.0f; break;                // NE
        case 9: r = x < y ? 1.0f : 0.0f; break;                 // LT
        case 10: r = x <= y ? 1.0f : 0.0f; break;               // LE
        case 11: r = x > y ? 1.0f : 0.0f; break;                // GT
        case 12: r = x >= y ? 1.0f : 0.0f; break;               // GE
        case 13: r = y * gelu_grad(x); break;                   // GELU_BACKWARD
        case 14: r = x > 0.0f ? y : 0.0f; break;                // RELU_BACKWARD
        case 15: r = y * (1.0f - x * x); break;                 // TANH_BACKWARD
        default: r = y * x * (1.0f - x); break;                 // SIGMOID_BACKWARD
    }
    out[ooff + dot8(idx, os)] = r;
}
