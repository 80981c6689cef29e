// dx from y and dy, one work-group per row: softmax dx = y·(dy − Σ dy·y); log-softmax dx = dy − exp(y)·Σ dy.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void softmax_backward(__global const float* y, int yoff, int8 ys, int ycs,
                      __global const float* dy, int dyoff, int8 dys, int dycs,
                      __global float* dx, int dxoff, int8 dxs, int dxcs,
                      int n, int rank, int8 rshape, int logsm) {
    __local float red[WG];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    int8 ri = unravel(row, rank, rshape);
    int yb = yoff + dot8(ri, ys);
    int gb = dyoff + dot8(ri, dys);
    int xb = dxoff + dot8(ri, dxs);
    float dot = 0.0f;
    for (int j = lid; j < n; j += WG) {
        float g = dy[gb + j * dycs];
        dot += logsm ? g : g * y[yb + j * ycs];
    }
    dot = group_sum(red, dot);
    for (int j = lid; j < n; j += WG) {
        float yj = y[yb + j * ycs];
        float g = dy[gb + j * dycs];
        dx[xb + j * dxcs] = logsm ? g - exp(yj) * dot : yj * (g - dot);
    }
}
