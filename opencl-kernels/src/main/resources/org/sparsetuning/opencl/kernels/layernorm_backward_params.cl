// dweight[j] = Σ_rows dy·x̂ and dbias[j] = Σ_rows dy, one work-item per channel j walking all rows (reads of
// neighbouring channels coalesce). Kahan-compensated, since a batch of tokens makes thousands of rows.
__kernel void layernorm_backward_params(__global const float* dy, int dyoff, int8 dys, int dycs,
                                        __global const float* x, int xoff, int8 xs, int xcs,
                                        __global const float* mean, int moff, __global const float* rstd, int roff,
                                        __global float* dw, int dwoff, int dwstride, int hasdw,
                                        __global float* db, int dboff, int dbstride, int hasdb,
                                        int c, int rows, int rank, int8 rshape) {
    int j = get_global_id(0);
    if (j >= c) {
        return;
    }
    float sw = 0.0f, cw = 0.0f, sb = 0.0f, cb = 0.0f;
    for (int r = 0; r < rows; r++) {
        int8 ri = unravel(r, rank, rshape);
        float g = dy[dyoff + dot8(ri, dys) + j * dycs];
        float xhat = (x[xoff + dot8(ri, xs) + j * xcs] - mean[moff + r]) * rstd[roff + r];
        float y = g * xhat - cw;
        float t = sw + y;
        cw = (t - sw) - y;
        sw = t;
        y = g - cb;
        t = sb + y;
        cb = (t - sb) - y;
        sb = t;
    }
    if (hasdw) {
        dw[dwoff + j * dwstride] = sw;
    }
    if (hasdb) {
        db[dboff + j * dbstride] = sb;
    }
}
