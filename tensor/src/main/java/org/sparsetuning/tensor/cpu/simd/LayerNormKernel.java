package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.parallel.Parallel;

/**
 * Layer norm over the last dimension, forward and backward. One row (768 or so floats, in L1) is the unit of
 * work and threads split the rows. The forward takes a corrected two-pass variance (see {@link #moments})
 * because the one-pass Σx² − (Σx)²/C form loses most of its digits in float when the mean is large relative
 * to the spread. The backward's dweight/dbias are sums over all rows, so they are accumulated
 * per fixed block of rows into separate partials and added in block order at the end: no races, and the same
 * bits whatever the thread count.
 */
final class LayerNormKernel {
    private LayerNormKernel() {
    }

    /** The values of a [C] tensor (null stays null) as a contiguous array. */
    private static float[] dense(Tensor t) {
        if (t == null) {
            return null;
        }
        float[] a = Arrays.f32(t);
        if (t.stride(0) == 1 && t.offset() == 0 && a.length == t.size(0)) {
            return a;
        }
        float[] d = new float[t.size(0)];
        Arrays.gather(a, t.offset(), t.stride(0), d, d.length);
        return d;
    }

    /** Writes one value per row into a (possibly strided) [rows]-shaped tensor. */
    private static void put(Tensor t, Layout l, int row, float v) {
        Arrays.f32(t)[l.offsetOf(0, row)] = v;
    }

    private static Layout flat(Tensor t) {
        return Layout.of(t.shape(), t);
    }

    static void forward(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        int c = x.size(-1);
        Layout rows = Layout.rowsOf(x, out);
        int nRows = rows.numel();
        if (c == 0 || nRows == 0) {
            return;
        }
        float[] w = dense(weight);
        float[] b = dense(bias);
        Layout meanL = flat(mean);
        Layout rstdL = flat(rstd);
        int sx = x.stride(-1);
        int sy = out.stride(-1);
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        Parallel.forRange(nRows, Math.max(1, Segments.GRAIN / c), (lo, hi) -> {
            float[] xb = sx == 1 ? null : new float[c];
            float[] yb = sy == 1 ? null : new float[c];
            float[] mom = new float[2];
            for (int r = lo; r < hi; r++) {
                int xo = rows.offsetOf(0, r);
                int yo = rows.offsetOf(1, r);
                float[] xa = xs;
                if (xb != null) {
                    Arrays.gather(xs, xo, sx, xb, c);
                    xa = xb;
                    xo = 0;
                }
                float[] ya = yb == null ? ys : yb;
                int y0 = yb == null ? yo : 0;
                moments(xa, xo, c, mom);
                float mu = mom[0];
                float var = mom[1];
                float rs = (float) (1.0 / Math.sqrt((double) var + eps));
                normalizeRow(xa, xo, ya, y0, c, mu, rs, w, b);
                if (yb != null) {
                    Arrays.scatter(yb, c, ys, yo, sy);
                }
                put(mean, meanL, r, mu);
                put(rstd, rstdL, r, rs);
            }
        });
    }

    /**
     * Mean and biased variance of a row: a first pass for a rough mean m, then Σd and Σd² of d = x − m in
     * one pass. μ = m + Σd/C corrects the rounding of the first sum (a constant row gets exactly its value,
     * so its output is exactly the bias rather than rounding noise times rstd = 1/√eps), and
     * var = (Σd² − (Σd)²/C)/C has no cancellation because Σd is tiny.
     */
    private static float[] moments(float[] x, int xo, int c, float[] res) {
        float m = VMath.sum(x, xo, c) / c;
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector t1 = FloatVector.zero(S);
        FloatVector t2 = FloatVector.zero(S);
        int i = 0;
        for (int ub = c - 2 * L; i <= ub; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, xo + i).sub(mv);
            FloatVector d1 = FloatVector.fromArray(S, x, xo + i + L).sub(mv);
            s1 = s1.add(d0);
            s2 = d0.fma(d0, s2);
            t1 = t1.add(d1);
            t2 = d1.fma(d1, t2);
        }
        for (int ub = S.loopBound(c); i < ub; i += L) {
            FloatVector d0 = FloatVector.fromArray(S, x, xo + i).sub(mv);
            s1 = s1.add(d0);
            s2 = d0.fma(d0, s2);
        }
        float sd = VMath.sumLanes(s1.add(t1));
        float sdd = VMath.sumLanes(s2.add(t2));
        for (; i < c; i++) {
            float d = x[xo + i] - m;
            sd += d;
            sdd += d * d;
        }
        res[0] = m + sd / c;
        res[1] = Math.max(0f, (sdd - sd * sd / c) / c);
        return res;
    }

    /** y = (x − μ)·rstd·w + b, with w and b optional. */
    private static void normalizeRow(float[] x, int xo, float[] y, int yo, int c, float mu, float rs, float[] w, float[] b) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector r = FloatVector.broadcast(S, rs);
        int i = 0;
        int ub = S.loopBound(c);
        if (w != null && b != null) {
            for (; i < ub; i += L) {
                FloatVector xh = FloatVector.fromArray(S, x, xo + i).sub(m).mul(r);
                xh.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(y, yo + i);
            }
        } else {
            for (; i < ub; i += L) {
                FloatVector xh = FloatVector.fromArray(S, x, xo + i).sub(m).mul(r);
                if (w != null) {
                    xh = xh.mul(FloatVector.fromArray(S, w, i));
                }
                if (b != null) {
                    xh = xh.add(FloatVector.fromArray(S, b, i));
                }
                xh.intoArray(y, yo + i);
            }
        }
        for (; i < c; i++) {
            float v = (x[xo + i] - mu) * rs;
            if (w != null) {
                v *= w[i];
            }
            if (b != null) {
                v += b[i];
            }
            y[yo + i] = v;
        }
    }

    /** Rows per block of the dweight/dbias partial sums; fixed, so results do not depend on threading. */
    private static final int PARTIAL_ROWS = 32;

    static void backward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                         Tensor dx, Tensor dweight, Tensor dbias) {
        int c = x.size(-1);
        Layout rows = dx != null ? Layout.rowsOf(dy, x, dx) : Layout.rowsOf(dy, x);
        int nRows = rows.numel();
        float[] w = dense(weight);
        Layout meanL = flat(mean);
        Layout rstdL = flat(rstd);
        float[] ms = Arrays.f32(mean);
        float[] rss = Arrays.f32(rstd);
        float[] gs = Arrays.f32(dy);
        float[] xs = Arrays.f32(x);
        float[] ds = dx == null ? null : Arrays.f32(dx);
        int sg = dy.stride(-1);
        int sx = x.stride(-1);
        int sd = dx == null ? 1 : dx.stride(-1);
        boolean params = dweight != null || dbias != null;
        int blocks = (nRows + PARTIAL_ROWS - 1) / PARTIAL_ROWS;
        float[][] dwPart = params ? new float[blocks][] : null;
        float[][] dbPart = params ? new float[blocks][] : null;
        Parallel.forRange(blocks, Math.max(1, Segments.GRAIN / Math.max(1, c * PARTIAL_ROWS)), (lo, hi) -> {
            float[] gb = sg == 1 ? null : new float[c];
            float[] xb = sx == 1 ? null : new float[c];
            float[] db = sd == 1 ? null : new float[c];
            for (int blk = lo; blk < hi; blk++) {
                float[] dwp = params ? new float[c] : null;
                float[] dbp = params ? new float[c] : null;
                for (int r = blk * PARTIAL_ROWS, end = Math.min(nRows, r + PARTIAL_ROWS); r < end; r++) {
                    int go = rows.offsetOf(0, r);
                    int xo = rows.offsetOf(1, r);
                    float[] ga = gs;
                    float[] xa = xs;
                    if (gb != null) {
                        Arrays.gather(gs, go, sg, gb, c);
                        ga = gb;
                        go = 0;
                    }
                    if (xb != null) {
                        Arrays.gather(xs, xo, sx, xb, c);
                        xa = xb;
                        xo = 0;
                    }
                    float mu = ms[meanL.offsetOf(0, r)];
                    float rs = rss[rstdL.offsetOf(0, r)];
                    int dOff = dx == null ? 0 : rows.offsetOf(2, r);
                    float[] da = db == null ? ds : db;
                    int d0 = db == null ? dOff : 0;
                    backwardRow(ga, go, xa, xo, w, mu, rs, c, da, d0, dwp, dbp);
                    if (db != null && dx != null) {
                        Arrays.scatter(db, c, ds, dOff, sd);
                    }
                }
                if (params) {
                    dwPart[blk] = dwp;
                    dbPart[blk] = dbp;
                }
            }
        });
        if (dweight != null) {
            writeSum(dwPart, c, dweight);
        }
        if (dbias != null) {
            writeSum(dbPart, c, dbias);
        }
    }

    /** dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·w; dw += dy·x̂, db += dy. */
    private static void backwardRow(float[] g, int go, float[] x, int xo, float[] w, float mu, float rs, int c,
                                    float[] d, int dof, float[] dw, float[] db) {
        FloatVector m = FloatVector.broadcast(S, mu);
        FloatVector r = FloatVector.broadcast(S, rs);
        FloatVector accG = FloatVector.zero(S);
        FloatVector accGX = FloatVector.zero(S);
        int ub = S.loopBound(c);
        int i = 0;
        for (; i < ub; i += L) {
            FloatVector dyv = FloatVector.fromArray(S, g, go + i);
            FloatVector xh = FloatVector.fromArray(S, x, xo + i).sub(m).mul(r);
            FloatVector gv = w == null ? dyv : dyv.mul(FloatVector.fromArray(S, w, i));
            accG = accG.add(gv);
            accGX = gv.fma(xh, accGX);
            if (dw != null) {
                dyv.fma(xh, FloatVector.fromArray(S, dw, i)).intoArray(dw, i);
                dyv.add(FloatVector.fromArray(S, db, i)).intoArray(db, i);
            }
        }
        float sumG = VMath.sumLanes(accG);
        float sumGX = VMath.sumLanes(accGX);
        for (int j = i; j < c; j++) {
            float dyv = g[go + j];
            float xh = (x[xo + j] - mu) * rs;
            float gv = w == null ? dyv : dyv * w[j];
            sumG += gv;
            sumGX += gv * xh;
            if (dw != null) {
                dw[j] += dyv * xh;
                db[j] += dyv;
            }
        }
        if (d == null) {
            return;
        }
        FloatVector meanG = FloatVector.broadcast(S, sumG / c);
        FloatVector meanGX = FloatVector.broadcast(S, sumGX / c);
        for (i = 0; i < ub; i += L) {
            FloatVector dyv = FloatVector.fromArray(S, g, go + i);
            FloatVector xh = FloatVector.fromArray(S, x, xo + i).sub(m).mul(r);
            FloatVector gv = w == null ? dyv : dyv.mul(FloatVector.fromArray(S, w, i));
            xh.neg().fma(meanGX, gv.sub(meanG)).mul(r).intoArray(d, dof + i);
        }
        for (; i < c; i++) {
            float dyv = g[go + i];
            float xh = (x[xo + i] - mu) * rs;
            float gv = w == null ? dyv : dyv * w[i];
            d[dof + i] = rs * (gv - sumG / c - xh * sumGX / c);
        }
    }

    private static void writeSum(float[][] parts, int c, Tensor target) {
        float[] total = new float[c];
        for (float[] p : parts) {
            int i = 0;
            for (int ub = S.loopBound(c); i < ub; i += L) {
                FloatVector.fromArray(S, total, i).add(FloatVector.fromArray(S, p, i)).intoArray(total, i);
            }
            for (; i < c; i++) {
                total[i] += p[i];
            }
        }
        float[] t = Arrays.f32(target);
        Layout l = flat(target);
        for (int j = 0; j < c; j++) {
            t[l.offsetOf(0, j)] = total[j];
        }
    }
}
