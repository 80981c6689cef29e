package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * The exact (erf) GELU and its gradient, chosen by {@link #backward}:
 * forward out = x·Φ(x); backward out = dy·(Φ(x) + x·φ(x)), with Φ(x) = erfc(−x/√2)/2 the normal CDF and
 * φ its density. One kernel for both because the two share the CDF code and live in the same layer.
 *
 * <p>OpenCL C has erfc, but Aparapi only translates the math methods {@link Kernel} declares, and erf is
 * not one of them. So erfc is computed here from the classic Chebyshev fit erfc(z) = t·exp(−z² + P(t)),
 * t = 1/(1 + z/2), whose error is below 1.2e-7 relative for every z ≥ 0 (Numerical Recipes, §6.2; the
 * coefficients are the published ones). A relative bound matters: for negative x, Φ(x) is tiny and an
 * absolute error bound (as in Abramowitz–Stegun 7.1.26) would swamp it.
 */
public final class GeluKernel extends Kernel {
    static final float INV_SQRT2 = 0.70710678f;
    static final float INV_SQRT_2PI = 0.39894228f;

    float[] x = new float[1];
    /** Upstream gradient; read only when {@link #backward} is 1. */
    float[] dy = new float[1];
    float[] out = new float[1];
    int n;
    /** 0: forward, 1: backward. */
    int backward;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float v = x[i];
            float cdf = 0.5f * erfc(-v * INV_SQRT2);
            if (backward == 0) {
                out[i] = v * cdf;
            } else {
                float pdf = INV_SQRT_2PI * exp(-0.5f * v * v);
                out[i] = dy[i] * (cdf + v * pdf);
            }
        }
    }

    /** Complementary error function for any sign, from the fit for z ≥ 0 and erfc(−z) = 2 − erfc(z). */
    private float erfc(float z) {
        float az = abs(z);
        float t = 1f / (1f + 0.5f * az);
        float p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f
                + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f
                + t * (-0.82215223f + t * 0.17087277f))))))));
        float r = t * exp(-az * az + p);
        return z >= 0f ? r : 2f - r;
    }
}
