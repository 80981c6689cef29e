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
 * stored and summed together; scale), threads split the rows. The row end is handled with a masked vector
 * rather than a scalar loop, since with 197 = 12·16 + 5 a scalar tail of exp calls would cost as much as the
 * twelve vectors before it. A row with a non-unit stride is first copied into a contiguous buffer.
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

    static void row(float[] x, int xo, float[] y, int yo, int n, boolean log) {
        int ub = S.loopBound(n);
        VectorMask<Float> tail = S.indexInRange(ub, n);
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < ub; i += L) {
            mv = mv.max(FloatVector.fromArray(S, x, xo + i));
        }
        if (ub < n) {
            mv = mv.max(FloatVector.fromArray(S, x, xo + ub, tail).blend(Float.NEGATIVE_INFINITY, tail.not()));
        }
        float max = mv.reduceLanes(VectorOperators.MAX);
        FloatVector vmax = FloatVector.broadcast(S, max);
        // x − max ≤ 0, so the exp needs no overflow case.
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < ub; i += L) {
            FloatVector e = VMath.expClamped(FloatVector.fromArray(S, x, xo + i).sub(vmax));
            if (!log) {
                e.intoArray(y, yo + i);
            }
            acc = acc.add(e);
        }
        if (ub < n) {
            FloatVector e = VMath.expClamped(FloatVector.fromArray(S, x, xo + ub, tail).sub(vmax));
            if (!log) {
                e.intoArray(y, yo + ub, tail);
            }
            acc = acc.add(e, tail);
        }
        float sum = VMath.sumLanes(acc);
        if (log) {
            FloatVector shift = FloatVector.broadcast(S, (float) (max + Math.log(sum)));
            for (int i = 0; i < ub; i += L) {
                FloatVector.fromArray(S, x, xo + i).sub(shift).intoArray(y, yo + i);
            }
            if (ub < n) {
                FloatVector.fromArray(S, x, xo + ub, tail).sub(shift).intoArray(y, yo + ub, tail);
            }
        } else {
            FloatVector inv = FloatVector.broadcast(S, 1f / sum);
            for (int i = 0; i < ub; i += L) {
                FloatVector.fromArray(S, y, yo + i).mul(inv).intoArray(y, yo + i);
            }
            if (ub < n) {
                FloatVector.fromArray(S, y, yo + ub, tail).mul(inv).intoArray(y, yo + ub, tail);
            }
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

    /** softmax: dx = y·(g − Σ g·y); log-softmax: dx = g − e^y·Σ g. */
    static void backwardRow(float[] y, int yo, float[] g, int go, float[] d, int dof, int n, boolean log) {
        int ub = S.loopBound(n);
        VectorMask<Float> tail = S.indexInRange(ub, n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < ub; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            acc = log ? acc.add(gv) : gv.fma(FloatVector.fromArray(S, y, yo + i), acc);
        }
        if (ub < n) {
            FloatVector gv = FloatVector.fromArray(S, g, go + ub, tail);
            acc = log ? acc.add(gv) : gv.fma(FloatVector.fromArray(S, y, yo + ub, tail), acc);
        }
        FloatVector dot = FloatVector.broadcast(S, VMath.sumLanes(acc));
        for (int i = 0; i < ub; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, yo + i);
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            (log ? VMath.exp(yv).neg().fma(dot, gv) : gv.sub(dot).mul(yv)).intoArray(d, dof + i);
        }
        if (ub < n) {
            FloatVector yv = FloatVector.fromArray(S, y, yo + ub, tail);
            FloatVector gv = FloatVector.fromArray(S, g, go + ub, tail);
            (log ? VMath.exp(yv).neg().fma(dot, gv) : gv.sub(dot).mul(yv)).intoArray(d, dof + ub, tail);
        }
    }
}
