// One AdamW update per element, in place, over contiguous p, g, m, v (each with its own offset): the operations
// and their order of ComposedAdamW (tensor/backend), with no contraction into fused multiply-adds, so the result
// differs from the host's only by this device's sqrt and division.
#pragma OPENCL FP_CONTRACT OFF
__kernel void adamw(__global float* p, int po, __global const float* g, int go,
                    __global float* m, int mo, __global float* v, int vo, int n,
                    float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                    float c2, float eps, float lrOverC1, float decay, int decays) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    float gi = g[go + i];
    float mi = m[mo + i] * beta1 + gi * oneMinusBeta1;
    float vi = v[vo + i] * beta2 + gi * gi * oneMinusBeta2;
    m[mo + i] = mi;
    v[vo + i] = vi;
    float step = mi / (sqrt(vi / c2) + eps) * lrOverC1;
    float pi = p[po + i];
    p[po + i] = (decays ? pi * decay : pi) - step;
}
