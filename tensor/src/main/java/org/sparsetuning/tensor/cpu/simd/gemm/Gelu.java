package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact (erf-based) GELU, 0.5 x (1 + erf(x / sqrt 2)), in float for the GEMM epilogue. erf comes from
 * Abramowitz and Stegun 7.1.28, erf(t) = 1 - (1 + a1 t + ... + a6 t^6)^-16 for t >= 0, whose absolute error
 * (3e-7) is float rounding level; it needs no exp, so it vectorizes into a few FMAs and one division (the
 * scalar double-precision erf of the reference would cost more than the matrix product itself for the MLP's
 * 3072-wide hidden layer). The tanh approximation is not used: its 1e-3 error is not "exact" GELU.
 */
final class Gelu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float A1 = 0.0705230784f;
    private static final float A2 = 0.0422820123f;
    private static final float A3 = 0.0092705272f;
    private static final float A4 = 0.0001520143f;
    private static final float A5 = 0.0002765672f;
    private static final float A6 = 0.0000430638f;
    private static final float INV_SQRT2 = 0.70710678118654752f;

    private Gelu() {
    }

    /**
     * c[off..off+n) = GELU(c[off..off+n)), n a multiple of the vector length. The loop over the array lives here,
     * so no vector crosses a call: a vector-valued helper the JIT leaves out-of-line boxes every vector.
     */
    static void applyInPlace(float[] c, int off, int n) {
        for (int i = 0; i < n; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, c, off + i);
            FloatVector z = x.mul(INV_SQRT2);
            FloatVector t = z.abs();
            FloatVector p = t.fma(A6, A5);
            p = p.fma(t, p.broadcast(A4));
            p = p.fma(t, p.broadcast(A3));
            p = p.fma(t, p.broadcast(A2));
            p = p.fma(t, p.broadcast(A1));
            p = p.fma(t, p.broadcast(1f));
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            p = p.mul(p);
            FloatVector one = x.broadcast(1f);
            FloatVector erfAbs = one.sub(one.div(p));
            FloatVector erf = erfAbs.blend(erfAbs.neg(), z.compare(VectorOperators.LT, 0f));
            x.mul(0.5f).mul(erf.add(1f)).intoArray(c, off + i);
        }
    }

    /** The same formula in scalar float, for tiles narrower than a vector. */
    static float apply(float x) {
        float z = x * INV_SQRT2;
        float t = Math.abs(z);
        float p = ((((((A6 * t + A5) * t + A4) * t + A3) * t + A2) * t + A1) * t) + 1f;
        p *= p;
        p *= p;
        p *= p;
        p *= p;
        float erfAbs = 1f - 1f / p;
        return 0.5f * x * (1f + (z < 0 ? -erfAbs : erfAbs));
    }
}
