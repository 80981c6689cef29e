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
 * ~1.6e-7 absolute (erf), both tested against the double-precision formulas.
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
        // Past the upper clamp the true result is +inf. (NaN needs no case: it survives the clamps and the
        // polynomial, so the result is NaN.)
        return expClamped(x).blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** e^x for x ≤ 88.72 (larger x give the largest finite float instead of +inf). */
    static FloatVector expClamped(FloatVector x) {
        // Clamped by compare and blend (see atMost); a NaN fails both compares and stays NaN.
        FloatVector xc = atMost(x.blend(EXP_LO, x.lt(EXP_LO)), EXP_HI);
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
        return p.mul(s0).mul(s1);
    }

    /**
     * min(x, hi) by compare and blend: {@code FloatVector.min} follows Java's NaN and signed-zero rules at several
     * instructions, where this needs two (a NaN fails the compare and stays NaN, as it should).
     */
    static FloatVector atMost(FloatVector x, float hi) {
        return x.blend(hi, x.compare(VectorOperators.GT, hi));
    }

    // erf on |x| ≤ 1.25: x·P(x²); on 1.25 < |x| ≤ 3.9: sign(x)·Q(|x| − 2.575); beyond 3.9, 1 − erf < 4e-8.
    // Both are polynomials, so erf costs ~22 FMAs and no exp or division (this is GELU's whole cost).
    // Coefficients are our own least-squares Chebyshev fits in double to erf(x)/x and to erf(x).
    private static final float[] ERF_SMALL = {1.1283791669989238f, -0.37612638340483961f, 0.11283783656188688f,
        -0.026865685069700041f, 0.0052224341035838808f, -0.00085199358099529885f, 0.00011740371424280238f,
        -1.2817557272298776e-05f, 8.3119360292287433e-07f};
    private static final float ERF_SPLIT = 1.25f;
    private static final float ERF_CLAMP = 3.9f;
    private static final float ERF_MID = 2.575f;
    private static final float[] ERF_LARGE = {0.99972905273687174f, 0.001488568510912518f, -0.0038335341649507124f,
        0.0060870515437995293f, -0.0065550850085365183f, 0.0049144484780224368f, -0.0024840282245476245f,
        0.00068020138161299561f, 0.00011642703528193883f, -0.00022137272684714617f, 7.5231453116055878e-05f,
        1.163284734848595e-05f, -9.0074902969106647e-06f};

    static FloatVector erf(FloatVector x) {
        FloatVector u = x.mul(x);
        FloatVector p = u.fma(c(ERF_SMALL[8]), c(ERF_SMALL[7]));
        for (int i = 6; i >= 0; i--) {
            p = p.fma(u, c(ERF_SMALL[i]));
        }
        FloatVector small = p.mul(x);
        FloatVector ax = x.abs();
        FloatVector t = atMost(ax, ERF_CLAMP).sub(ERF_MID);
        FloatVector q = t.fma(c(ERF_LARGE[12]), c(ERF_LARGE[11]));
        for (int i = 10; i >= 0; i--) {
            q = q.fma(t, c(ERF_LARGE[i]));
        }
        // Past the clamp erf is ±1 exactly, so GELU's x·(1 + erf) of a large negative x is 0, not x·4e-8.
        q = q.blend(1f, ax.compare(VectorOperators.GE, ERF_CLAMP));
        FloatVector big = q.blend(q.neg(), x.lt(0f));
        return small.blend(big, ax.compare(VectorOperators.GT, ERF_SPLIT));
    }

    private static final float INV_SQRT2 = 0.70710678118654752f;

    /** 0.5·x·(1 + erf(x/√2)), the exact GELU. */
    static FloatVector gelu(FloatVector x) {
        FloatVector cdf = erf(x.mul(INV_SQRT2)).fma(c(0.5f), c(0.5f));
        return x.mul(cdf);
    }

    // GELU'(x) = Φ(x) + x·φ(x), fitted directly rather than built from erf and exp (half the work): on
    // |x| ≤ 1.5, 0.5 + x·P(x²) (the rest is odd); on 1.5 < x ≤ 6.3, R(x − 3.9), and GELU'(−x) = 1 − GELU'(x);
    // past 6.3 it is 1 (or 0) to within 1.6e-8. Our own least-squares Chebyshev fits, max error 1.4e-7.
    private static final float[] GELU_D_SMALL = {0.79788456076230485f, -0.26596151862972928f,
        0.059841325895862336f, -0.0094985579125143899f, 0.0011541977675967028f, -0.00011314645994621081f,
        9.1788624404587696e-06f, -5.932990324750745e-07f, 2.3591864735141755e-08f};
    private static final float GELU_D_SPLIT = 1.5f;
    private static final float GELU_D_CLAMP = 6.3f;
    private static final float GELU_D_MID = 3.9f;
    private static final float[] GELU_D_LARGE = {1.0007266595197242f, -0.0026241597608713686f, 0.004342521976919346f,
        -0.004267635679469875f, 0.0026481319957078467f, -0.00094993466774066521f, 6.2835809230553217e-05f,
        0.00013273036184881882f, -7.8417124847076421e-05f, 1.928813726514527e-05f, 1.6697089674697203e-06f,
        -2.9238446233176327e-06f, 6.5441043685222969e-07f, 1.1734719529049965e-07f, -5.6732272371579717e-08f,
        -8.4527414869857833e-10f, 1.5634498674343412e-09f};

    /**
     * y[yo + i] = dy[dyo + i·sdy]·GELU'(x[xo + i·sx]) for the whole vectors of i < ub (a multiple of L), with
     * GELU'(x) = Φ(x) + x·φ(x); strides 0 or 1 (0: a constant operand, read from an array of L copies). The loop
     * is here with the polynomial written out in it, so no vector crosses a call (a vector-valued helper that the
     * JIT leaves out-of-line boxes every vector).
     */
    static void geluBackward(float[] x, int xo, int sx, float[] dy, int dyo, int sdy, float[] y, int yo, int ub) {
        for (int i = 0; i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i * sx);
            FloatVector u = v.mul(v);
            FloatVector p = u.fma(c(GELU_D_SMALL[8]), c(GELU_D_SMALL[7]));
            for (int k = 6; k >= 0; k--) {
                p = p.fma(u, c(GELU_D_SMALL[k]));
            }
            FloatVector small = p.fma(v, c(0.5f));
            FloatVector ax = v.abs();
            FloatVector t = ax.blend(GELU_D_CLAMP, ax.compare(VectorOperators.GT, GELU_D_CLAMP)).sub(GELU_D_MID);
            FloatVector q = t.fma(c(GELU_D_LARGE[16]), c(GELU_D_LARGE[15]));
            for (int k = 14; k >= 0; k--) {
                q = q.fma(t, c(GELU_D_LARGE[k]));
            }
            q = q.blend(1f, ax.compare(VectorOperators.GE, GELU_D_CLAMP));
            FloatVector big = q.blend(c(1f).sub(q), v.lt(0f));
            FloatVector derivative = small.blend(big, ax.compare(VectorOperators.GT, GELU_D_SPLIT));
            FloatVector.fromArray(S, dy, dyo + i * sdy).mul(derivative).intoArray(y, yo + i);
        }
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
        float s = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    /**
     * The sum of the lanes, added in lane order. {@code reduceLanes(ADD)} leaves the order open, and HotSpot's
     * intrinsic and the interpreted fallback do add in different orders: the same row then sums differently
     * before and after the kernel is compiled, and a run cannot repeat another bit for bit (a resumed training
     * run, whose first steps run on a cold JIT, would drift from the uninterrupted one in the last bits).
     */
    static float sumLanes(FloatVector v) {
        float[] lanes = v.toArray();
        float s = lanes[0];
        for (int i = 1; i < lanes.length; i++) {
            s += lanes[i];
        }
        return s;
    }
}
