// dx of layer norm, one work-group per row. With x̂ = (x − μ)·rstd and g = dy·w (or dy without weight):
// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)).
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void layernorm_backward_dx(__global const float* dy, int dyoff, int8 dys, int dycs,
                           __global const float* x, int xoff, int8 xs, int xcs,
                           __global const float* w, int woff, int ws, int hasw,
                           __global const float* mean, int moff, __global const float* rstd, int roff,
                           __global float* dx, int dxoff, int8 dxs, int dxcs,
                           int c, int rank, int8 rshape) {
    __local float red[WG];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int8 ri = unravel(row, rank, rshape);
    int gb = dyoff + dot8(ri, dys);
    int xb = xoff + dot8(ri, xs);
    int db = dxoff + dot8(ri, dxs);
    float mu = mean[moff + row];
    float rs = rstd[roff + row];
    float sg = 0.0f;
    float sgx = 0.0f;
    for (int j = lid; j < c; j += WG) {
        float xhat = (x[xb + j * xcs] - mu) * rs;
        float g = dy[gb + j * dycs];
        if (hasw) {
            g *= w[woff + j * ws];
        }
        sg += g;
        sgx += g * xhat;
    }
    sg = group_sum(red, sg) / (float) c;
    sgx = group_sum(red, sgx) / (float) c;
    for (int j = lid; j < c; j += WG) {
        float xhat = (x[xb + j * xcs] - mu) * rs;
        float g = dy[gb + j * dycs];
        if (hasw) {
            g *= w[woff + j * ws];
        }
        dx[db + j * dxcs] = rs * (g - sg - xhat * sgx);
    }
}
