// Layer norm over the last dimension, one work-group per row, two passes over the row (mean, then the
// centred sum of squares: no cancellation for offset data). The mean is summed relative to the row's first
// element, so a constant row has exactly its value as mean (and normalises to exactly 0, as in double). Writes the row's mean and 1/σ for backward.
// weight and bias are [C] with strides ws and bsd, used when hasw / hasb.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void layernorm(__global const float* x, int xoff, int8 xs, int xcs,
               __global const float* w, int woff, int ws, int hasw,
               __global const float* b, int boff, int bsd, int hasb,
               __global float* out, int ooff, int8 os, int ocs,
               __global float* mean, int moff, __global float* rstd, int roff,
               int c, int rank, int8 rshape, float eps) {
    __local float red[WG];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int8 ri = unravel(row, rank, rshape);
    int xb = xoff + dot8(ri, xs);
    int ob = ooff + dot8(ri, os);
    float x0 = c > 0 ? x[xb] : 0.0f;
    float s = 0.0f;
    for (int j = lid; j < c; j += WG) {
        s += x[xb + j * xcs] - x0;
    }
    float mu = x0 + group_sum(red, s) / (float) c;
    float q = 0.0f;
    for (int j = lid; j < c; j += WG) {
        float d = x[xb + j * xcs] - mu;
        q += d * d;
    }
    float var = group_sum(red, q) / (float) c;
    float rs = rsqrt(var + eps);
    for (int j = lid; j < c; j += WG) {
        float v = (x[xb + j * xcs] - mu) * rs;
        if (hasw) {
            v *= w[woff + j * ws];
        }
        if (hasb) {
            v += b[boff + j * bsd];
        }
        out[ob + j * ocs] = v;
    }
    if (lid == 0) {
        mean[moff + row] = mu;
        rstd[roff + row] = rs;
    }
}
