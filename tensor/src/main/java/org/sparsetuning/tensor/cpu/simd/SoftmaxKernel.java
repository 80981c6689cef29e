package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.parallel.Parallel;

/**
 * Softmax and log-softmax over the last dimension, and their backward. Rows are short (197 tokens in a ViT
 * attention map) and many, so a row is the unit of work: three passes over a row that sits in L1 (max; exp
 * stored and summed together; scale), threads split the rows. The row end is one more whole vector that
 * overlaps the last ({@link #row}), since with 197 = 12·16 + 5 either a scalar tail of exp calls or a masked
 * vector would cost as much as the twelve vectors before it. A row with a non-unit stride is first copied into
 * a contiguous buffer.
 */
final class SoftmaxKernel {
    private SoftmaxKernel() {
    }

    static void forward(Tensor x, boolean log, Tensor out) {
        int n = x.size(-1);
        Layout rows = Layout.rowsOf(x, out);
        int sx = x.stride(-1);
        int sy = out.stride(-1);
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        if (n == 0) {
            return;
        }
        Parallel.forRange(rows.numel(), Math.max(1, Segments.GRAIN / n), (lo, hi) -> {
            float[] in = sx == 1 ? null : new float[n];
            float[] res = sy == 1 ? null : new float[n];
            for (int r = lo; r < hi; r++) {
                int xo = rows.offsetOf(0, r);
                int yo = rows.offsetOf(1, r);
                float[] src = xs;
                if (in != null) {
                    Arrays.gather(xs, xo, sx, in, n);
                    src = in;
                    xo = 0;
                }
                float[] dst = res == null ? ys : res;
                int d0 = res == null ? yo : 0;
                row(src, xo, dst, d0, n, log);
                if (res != null) {
                    Arrays.scatter(res, n, ys, yo, sy);
                }
            }
        });
    }

    /**
     * One row: y[yo..yo+n) = softmax (or log-softmax) of x[xo..xo+n); y may be x itself. A row of at least one
     * vector ends with a last vector that overlaps the one before it (lanes [n − L, n)) instead of a masked
     * vector: masked loads and stores cost about 100 ns a row here (they are not compiled to single masked
     * instructions), as much as the rest of a 197-wide row. The overlapped lanes are recomputed to the same
     * values and left out of the sum; the last n mod L lanes are scaled one by one.
     */
    static void row(float[] x, int xo, float[] y, int yo, int n, boolean log) {
        if (n < L) {
            maskedRow(x, xo, y, yo, n, log);
            return;
        }
        int ub = S.loopBound(n);
        float max = max(x, xo, n);
        float sum = expShifted(x, xo, max, y, yo, n, !log);
        float s = log ? (float) (max + Math.log(sum)) : 1f / sum;
        FloatVector vs = FloatVector.broadcast(S, s);
        if (log) {
            for (int i = 0; i < ub; i += L) {
                FloatVector.fromArray(S, x, xo + i).sub(vs).intoArray(y, yo + i);
            }
            for (int i = ub; i < n; i++) {
                y[yo + i] = x[xo + i] - s;
            }
        } else {
            for (int i = 0; i < ub; i += L) {
                FloatVector.fromArray(S, y, yo + i).mul(vs).intoArray(y, yo + i);
            }
            for (int i = ub; i < n; i++) {
                y[yo + i] *= s;
            }
        }
    }

    /**
     * Σ exp(x − shift) over x[xo..xo+n), n ≥ L, storing each exp at y[yo..] when asked; the lanes of the
     * overlapping last vector that the whole vectors covered are left out of the sum by a 0/1 multiplier, and the
     * lane sums are added in lane order. A small method of its own that only floats and arrays cross: left inside
     * {@link #row}, or given the shift as a vector, the JIT sometimes compiled the loop without its vector
     * intrinsics (the inlining budget ran out, or the profile was poor on this 2-core machine), boxing every vector
     * and running the exp in the Vector API's Java fallback, in steady state.
     */
    private static float expShifted(float[] x, int xo, float shift, float[] y, int yo, int n, boolean store) {
        int ub = S.loopBound(n);
        FloatVector vshift = FloatVector.broadcast(S, shift);
        FloatVector xLast = FloatVector.fromArray(S, x, xo + n - L); // read before y (maybe x) is written
        FloatVector acc = FloatVector.zero(S);
        // One loop with one exp in it, the overlapping last vector its last turn: a second exp would double the
        // inlined code, and past the JIT's node budget the calls after it stay out-of-line.
        for (int i = 0; i < n; i += L) {
            boolean last = i + L > n;
            // x − max ≤ 0, so the exp needs no overflow case.
            FloatVector e = VMath.expClamped((last ? xLast : FloatVector.fromArray(S, x, xo + i)).sub(vshift));
            if (store) {
                e.intoArray(y, yo + (last ? n - L : i));
            }
            acc = e.fma(FloatVector.fromArray(S, ZEROS_THEN_ONES, last ? n - ub : L), acc);
        }
        return VMath.sumLanes(acc);
    }

    /**
     * The largest of x[xo..xo+n), n ≥ L, as a shift for the exp: by compare and blend over four accumulators (a
     * vector max honours Java's NaN and signed-zero rules in several dependent instructions). A NaN is never
     * taken as the max, but it still reaches the sum, so the row's result is NaN all the same.
     */
    private static float max(float[] x, int xo, int n) {
        FloatVector last = FloatVector.fromArray(S, x, xo + n - L);
        FloatVector m0 = last;
        FloatVector m1 = last;
        FloatVector m2 = last;
        FloatVector m3 = last;
        int i = 0;
        for (int ub = n - 4 * L; i <= ub; i += 4 * L) {
            // Written out rather than through a helper: a vector-valued call the JIT leaves out-of-line boxes
            // every vector (measured in the attention rows).
            FloatVector v0 = FloatVector.fromArray(S, x, xo + i);
            FloatVector v1 = FloatVector.fromArray(S, x, xo + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xo + i + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, x, xo + i + 3 * L);
            m0 = m0.blend(v0, v0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(v1, v1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(v2, v2.compare(VectorOperators.GT, m2));
            m3 = m3.blend(v3, v3.compare(VectorOperators.GT, m3));
        }
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            m0 = m0.blend(v, v.compare(VectorOperators.GT, m0));
        }
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
        return m0.blend(m2, m2.compare(VectorOperators.GT, m0)).reduceLanes(VectorOperators.MAX);
    }

    /** 0 in the lanes of the overlapping last vector that the whole vectors before it covered, 1 in the rest. */
    private static FloatVector newLanes(int fresh) {
        return FloatVector.fromArray(S, ZEROS_THEN_ONES, fresh);
    }

    private static final float[] ZEROS_THEN_ONES = new float[2 * L];

    static {
        java.util.Arrays.fill(ZEROS_THEN_ONES, L, 2 * L, 1f);
    }

    /** A row shorter than one vector, with masked loads and stores. */
    private static void maskedRow(float[] x, int xo, float[] y, int yo, int n, boolean log) {
        VectorMask<Float> m = S.indexInRange(0, n);
        FloatVector xv = FloatVector.fromArray(S, x, xo, m);
        float max = xv.blend(Float.NEGATIVE_INFINITY, m.not()).reduceLanes(VectorOperators.MAX);
        FloatVector e = VMath.expClamped(xv.sub(max));
        float sum = VMath.sumLanes(FloatVector.zero(S).add(e, m));   // in lane order: the same bits in every JIT tier
        if (log) {
            xv.sub((float) (max + Math.log(sum))).intoArray(y, yo, m);
        } else {
            e.mul(1f / sum).intoArray(y, yo, m);
        }
    }

    static void backward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        int n = y.size(-1);
        if (n == 0) {
            return;
        }
        Layout rows = Layout.rowsOf(y, dy, dx);
        int sy = y.stride(-1);
        int sg = dy.stride(-1);
        int sd = dx.stride(-1);
        float[] ys = Arrays.f32(y);
        float[] gs = Arrays.f32(dy);
        float[] ds = Arrays.f32(dx);
        Parallel.forRange(rows.numel(), Math.max(1, Segments.GRAIN / n), (lo, hi) -> {
            float[] yb = sy == 1 ? null : new float[n];
            float[] gb = sg == 1 ? null : new float[n];
            float[] db = sd == 1 ? null : new float[n];
            for (int r = lo; r < hi; r++) {
                int yo = rows.offsetOf(0, r);
                int go = rows.offsetOf(1, r);
                int dof = rows.offsetOf(2, r);
                float[] ya = ys;
                float[] ga = gs;
                float[] da = ds;
                if (yb != null) {
                    Arrays.gather(ys, yo, sy, yb, n);
                    ya = yb;
                    yo = 0;
                }
                if (gb != null) {
                    Arrays.gather(gs, go, sg, gb, n);
                    ga = gb;
                    go = 0;
                }
                int d0 = dof;
                if (db != null) {
                    da = db;
                    d0 = 0;
                }
                backwardRow(ya, yo, ga, go, da, d0, n, log);
                if (db != null) {
                    Arrays.scatter(db, n, ds, dof, sd);
                }
            }
        });
    }

    /**
     * softmax: dx = y·(g − Σ g·y); log-softmax: dx = g − e^y·Σ g. d may be g itself. Rows of at least one vector
     * end with an overlapping last vector, as in {@link #row}.
     */
    static void backwardRow(float[] y, int yo, float[] g, int go, float[] d, int dof, int n, boolean log) {
        if (n < L) {
            maskedBackwardRow(y, yo, g, go, d, dof, n, log);
            return;
        }
        int ub = S.loopBound(n);
        int last = n - L;
        boolean ragged = ub < n;
        FloatVector gLast = FloatVector.fromArray(S, g, go + last); // read before d (maybe g) is written
        FloatVector yLast = FloatVector.fromArray(S, y, yo + last);
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (int ub2 = ub - 2 * L; i <= ub2; i += 2 * L) {
            FloatVector g0 = FloatVector.fromArray(S, g, go + i);
            FloatVector g1 = FloatVector.fromArray(S, g, go + i + L);
            acc0 = log ? acc0.add(g0) : g0.fma(FloatVector.fromArray(S, y, yo + i), acc0);
            acc1 = log ? acc1.add(g1) : g1.fma(FloatVector.fromArray(S, y, yo + i + L), acc1);
        }
        for (; i < ub; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            acc0 = log ? acc0.add(gv) : gv.fma(FloatVector.fromArray(S, y, yo + i), acc0);
        }
        if (ragged) {
            FloatVector fresh = gLast.mul(newLanes(n - ub));
            acc1 = log ? acc1.add(fresh) : fresh.fma(yLast, acc1);
        }
        FloatVector dot = FloatVector.broadcast(S, VMath.sumLanes(acc0.add(acc1)));
        for (i = 0; i < ub; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yo + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            (log ? VMath.exp(yv).neg().fma(dot, gv) : gv.sub(dot).mul(yv)).intoArray(d, dof + i);
        }
        if (ragged) {
            (log ? VMath.exp(yLast).neg().fma(dot, gLast) : gLast.sub(dot).mul(yLast)).intoArray(d, dof + last);
        }
    }

    private static void maskedBackwardRow(float[] y, int yo, float[] g, int go, float[] d, int dof, int n,
                                          boolean log) {
        VectorMask<Float> m = S.indexInRange(0, n);
        FloatVector yv = FloatVector.fromArray(S, y, yo, m);
        FloatVector gv = FloatVector.fromArray(S, g, go, m);
        float dot = VMath.sumLanes(FloatVector.zero(S).add(log ? gv : gv.mul(yv), m));
        (log ? VMath.exp(yv).neg().fma(FloatVector.broadcast(S, dot), gv) : gv.sub(dot).mul(yv)).intoArray(d, dof, m);
    }
}
