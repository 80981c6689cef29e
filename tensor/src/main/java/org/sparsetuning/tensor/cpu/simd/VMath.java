package org.sparsetuning.tensor.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float transcendental functions on whole vectors, written out as range reduction plus polynomials so they
 * compile to a few dozen straight-line FMA instructions with no branches and no per-lane fallback. The
 * Vector API's own {@code lanewise(EXP)} goes through a library stub that is accurate to the last bit but
 * several times slower than softmax and GELU need; these are accurate to a couple of float ulps (exp) and
 * ~1.3e-7 absolute (erf), both tested against the double-precision formulas.
 */
final class VMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();

    private VMath() {
    }

    /** A constant vector; the JIT hoists these out of loops. */
    static FloatVector c(float v) {
        return FloatVector.broadcast(S, v);
    }

    // exp: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n by building the exponent bits.
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds to an integer that then sits in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float EXP_HI = 88.7228391f;
    /** Below this e^x rounds to 0 even as a denormal. */
    private static final float EXP_LO = -104f;
    private static final float E2 = 0.5f;
    private static final float E3 = 1.66666672e-1f;
    private static final float E4 = 4.16664853e-2f;
    private static final float E5 = 8.33336498e-3f;
    private static final float E6 = 1.39433483e-3f;
    private static final float E7 = 1.98423862e-4f;

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = xc.fma(c(LOG2E), c(ROUND_MAGIC));
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(c(-LN2_HI), xc);
        r = n.fma(c(-LN2_LO), r);
        FloatVector p = r.fma(c(E7), c(E6));
        p = p.fma(r, c(E5));
        p = p.fma(r, c(E4));
        p = p.fma(r, c(E3));
        p = p.fma(r, c(E2));
        p = p.fma(r, c(1f));
        p = p.fma(r, c(1f));
        // 2^n as two normal powers of two, 2^(n>>1)·2^(n−(n>>1)), so n from −150 (denormal results) to
        // 128 (the largest finite ones) needs no special case.
        IntVector n0 = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS);
        IntVector h0 = n0.lanewise(VectorOperators.ASHR, 1);
        IntVector h1 = n0.sub(h0);
        FloatVector s0 = (FloatVector) h0.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s1 = (FloatVector) h1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector e = p.mul(s0).mul(s1);
        // Past the upper clamp the true result is +inf; NaN must stay NaN.
        e = e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
        return e.blend(x, x.test(VectorOperators.IS_NAN));
    }

    // erf on |x| ≤ 1: x·P(x²); on 1 < |x| ≤ 4: 1 − e^(−x²)·Q(|x| − 2.5); beyond 4, erf rounds to ±1 in
    // float. Coefficients are our own least-squares Chebyshev fits in double to erf(x)/x and erfc(x)·e^(x²).
    private static final float[] ERF_SMALL = {1.1283791670115975f, -0.3761263829227404f, 0.11283780872599816f,
        -0.026865369072198653f, 0.005220921560716381f, -0.000848317709468731f, 0.00011263542838829543f,
        -9.670152221009156e-06f};
    private static final float[] ERFC_SCALED = {0.21080635955393548f, -0.07434752989756313f, 0.024938151535706367f,
        -0.007999833337115087f, 0.0024661923376642107f, -0.0007381153528573389f, 0.00021268171870163848f,
        -5.416635978780855e-05f, 1.4515339733557414e-05f, -6.260445619471312e-06f, 1.6406251211297409e-06f};

    static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector u = x.mul(x);
        FloatVector p = u.fma(c(ERF_SMALL[7]), c(ERF_SMALL[6]));
        for (int i = 5; i >= 0; i--) {
            p = p.fma(u, c(ERF_SMALL[i]));
        }
        FloatVector small = p.mul(x);
        FloatVector a = ax.min(4f);
        FloatVector t = a.sub(2.5f);
        FloatVector q = t.fma(c(ERFC_SCALED[10]), c(ERFC_SCALED[9]));
        for (int i = 8; i >= 0; i--) {
            q = q.fma(t, c(ERFC_SCALED[i]));
        }
        FloatVector big = exp(a.mul(a).neg()).neg().fma(q, c(1f));
        big = big.blend(big.neg(), x.lt(0f));
        return small.blend(big, ax.compare(VectorOperators.GT, 1f));
    }

    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;

    /** 0.5·x·(1 + erf(x/√2)), the exact GELU. */
    static FloatVector gelu(FloatVector x) {
        FloatVector cdf = erf(x.mul(INV_SQRT2)).fma(c(0.5f), c(0.5f));
        return x.mul(cdf);
    }

    /** dy·(Φ(x) + x·φ(x)). */
    static FloatVector geluBackward(FloatVector x, FloatVector dy) {
        FloatVector cdf = erf(x.mul(INV_SQRT2)).fma(c(0.5f), c(0.5f));
        FloatVector pdf = exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
        return dy.mul(x.fma(pdf, cdf));
    }

    /** 1/(1 + e^(−x)); e^(−x) overflowing to +inf gives exactly 0, as it should. */
    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /** (tanh(x) − x)/x³ as a polynomial in x² on |x| ≤ 0.55 (our own Chebyshev fit). */
    private static final float[] TANH_SMALL = {-0.33333333250979563f, 0.13333321746458124f, -0.05396436243893253f,
        0.021816828425665884f, -0.008524081149121749f, 0.0025273739646104413f};

    /** tanh(x) = sign(x)·(1 − 2/(e^(2|x|) + 1)), with the odd series below 0.55 where that form cancels. */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector e = exp(ax.mul(2f));
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
        big = big.blend(big.neg(), x.lt(0f));
        FloatVector u = x.mul(x);
        FloatVector p = u.fma(c(TANH_SMALL[5]), c(TANH_SMALL[4]));
        for (int i = 3; i >= 0; i--) {
            p = p.fma(u, c(TANH_SMALL[i]));
        }
        FloatVector small = p.mul(u).fma(x, x);
        return small.blend(big, ax.compare(VectorOperators.GT, 0.55f));
    }

    /** Σ x[off..off+n) with four independent vector accumulators (hides the add latency). */
    static float sum(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (int ub = n - 4 * L; i <= ub; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, off + i));
            a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
        }
        for (int ub = S.loopBound(n); i < ub; i += L) {
            a0 = a0.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }
}
