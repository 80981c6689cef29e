// Shared by every kernel file (the host prepends it before building). OpenCL C 1.2.
//
// Strided tensors: a shape of up to 8 dimensions is passed as an int8 aligned to the right (the last
// dimension in .s7); unused leading dimensions have size 1 and stride 0. An operand is that shape plus its own
// int8 of strides and an element offset, so one kernel reads transposed, narrowed and broadcast (stride 0)
// views without a copy.

// The multi-index of row-major element `lin` of a rank-`rank` shape (right-aligned, unused components 0).
// rank is a kernel argument, so every branch is uniform across a work-group.
inline int8 unravel(int lin, int rank, int8 shape) {
    int8 idx = (int8)(0);
    if (rank == 1) {
        idx.s7 = lin;
        return idx;
    }
    if (rank > 0) { idx.s7 = lin % shape.s7; lin /= shape.s7; }
    if (rank > 1) { idx.s6 = lin % shape.s6; lin /= shape.s6; }
    if (rank > 2) { idx.s5 = lin % shape.s5; lin /= shape.s5; }
    if (rank > 3) { idx.s4 = lin % shape.s4; lin /= shape.s4; }
    if (rank > 4) { idx.s3 = lin % shape.s3; lin /= shape.s3; }
    if (rank > 5) { idx.s2 = lin % shape.s2; lin /= shape.s2; }
    if (rank > 6) { idx.s1 = lin % shape.s1; lin /= shape.s1; }
    if (rank > 7) { idx.s0 = lin; }
    return idx;
}

// Σ idx·strides: the element position relative to the operand's offset.
inline int dot8(int8 idx, int8 strides) {
    int8 p = idx * strides;
    return p.s0 + p.s1 + p.s2 + p.s3 + p.s4 + p.s5 + p.s6 + p.s7;
}

// Java's Math.max on floats: NaN wins, so a NaN anywhere in a row or reduction shows in the result.
inline float max_nan(float a, float b) {
    return (a > b || isnan(a)) ? a : b;
}

// erfc(x) from one exp and a polynomial: for z = |x|, t = 1/(1 + z/2), erfc(z) = t·exp(−z² + P(t)) with the
// degree-9 Chebyshev fit of Press et al. (Numerical Recipes, "erfcc"), fractional error below 1.2e-7 for every
// z; erfc(−z) = 2 − erfc(z). Built-in erfc was 8x slower than this on PoCL, and this one vectorises.
inline float erfc_fit(float x) {
    float z = fabs(x);
    float t = 1.0f / (1.0f + 0.5f * z);
    float p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
    float r = t * exp(-z * z + p);
    return x >= 0.0f ? r : 2.0f - r;
}

// The exact GELU, 0.5·x·(1 + erf(x/√2)), written with erfc: for negative x, 1 + erf(x/√2) cancels, while
// erfc(−x/√2) keeps full relative precision in the tail.
inline float gelu_exact(float x) {
    return 0.5f * x * erfc_fit(-x * M_SQRT1_2_F);
}

// GELU'(x) = Φ(x) + x·φ(x).
inline float gelu_grad(float x) {
    float cdf = 0.5f * erfc_fit(-x * M_SQRT1_2_F);
    float pdf = 0.3989422804014327f * exp(-0.5f * x * x);
    return cdf + x * pdf;
}

// Work-group sums and maxima through local memory; the work-group size is a power of two, every item calls.
inline float group_sum(__local float* red, float v) {
    int lid = get_local_id(0);
    red[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) {
            red[lid] += red[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

inline float group_max(__local float* red, float v) {
    int lid = get_local_id(0);
    red[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = get_local_size(0) / 2; s > 0; s >>= 1) {
        if (lid < s) {
            red[lid] = max_nan(red[lid], red[lid + s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = red[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

// Records the first out-of-range index a kernel met: err[0] = 1, err[1] = the index. The host checks it after
// the launch and raises IndexOutOfBoundsException.
inline void report_bad_index(__global int* err, int index) {
    if (atomic_cmpxchg(err, 0, 1) == 0) {
        err[1] = index;
    }
}
