package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.ReduceOp;

/**
 * SUM / MEAN / MAX and argmax over one dimension. The reduced dimension is taken out of the iteration space
 * and every other dimension goes through {@link Layout}. Two vector shapes then cover nearly every use:
 * <ul>
 * <li>the kept dimensions are contiguous (reducing rows of a [R, C] matrix, e.g. a bias gradient): whole
 *     vectors of outputs accumulate in place while x streams by in memory order;</li>
 * <li>the reduced dimension is contiguous (reducing along the last dimension): each output is a horizontal
 *     vector reduction, summed in float blocks that are added up in double so long rows keep their
 *     precision.</li>
 * </ul>
 * Anything else is a scalar loop. argmax must reproduce the reference's tie and NaN rules exactly, so it is
 * always scalar (it is never hot).
 */
final class ReduceKernel {
    private static final int BLOCK = 4096;

    private ReduceKernel() {
    }

    static void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        int len = x.size(dim);
        int sd = x.stride(dim);
        int[] keptShape = out.squeeze(dim).shape();
        Layout l = Layout.of(keptShape, Layout.without(x, dim), out.squeeze(dim));
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        int sx = l.innerStride(0);
        int sy = l.innerStride(1);
        boolean max = op == ReduceOp.MAX;
        int grain = Math.max(16, Segments.GRAIN / Math.max(len, 1));
        Segments.forEach(l, grain, (row, start, n) -> {
            int xo = l.rowOffset(0, row) + start * sx;
            int yo = l.rowOffset(1, row) + start * sy;
            if (sx == 1 && sy == 1) {
                accumulateRows(max, xs, xo, sd, len, ys, yo, n);
                if (op == ReduceOp.MEAN) {
                    for (int j = 0; j < n; j++) {
                        ys[yo + j] /= len;
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    float r = sd == 1 ? contiguousRow(max, xs, xo + j * sx, len) : stridedRow(max, xs, xo + j * sx, sd, len);
                    ys[yo + j * sy] = op == ReduceOp.MEAN ? (float) ((double) r / len) : r;
                }
            }
        });
    }

    /** y[yo..yo+n) ← Σ or max over i of x[xo + i·sd ..][0..n), accumulated in y itself. */
    private static void accumulateRows(boolean max, float[] x, int xo, int sd, int len, float[] y, int yo, int n) {
        java.util.Arrays.fill(y, yo, yo + n, max ? Float.NEGATIVE_INFINITY : 0f);
        int ub = S.loopBound(n);
        for (int i = 0; i < len; i++) {
            int p = xo + i * sd;
            int j = 0;
            if (max) {
                for (; j < ub; j += L) {
                    FloatVector.fromArray(S, y, yo + j).max(FloatVector.fromArray(S, x, p + j)).intoArray(y, yo + j);
                }
                for (; j < n; j++) {
                    float v = x[p + j];
                    y[yo + j] = Float.isNaN(v) || v > y[yo + j] ? v : y[yo + j];
                }
            } else {
                for (; j < ub; j += L) {
                    FloatVector.fromArray(S, y, yo + j).add(FloatVector.fromArray(S, x, p + j)).intoArray(y, yo + j);
                }
                for (; j < n; j++) {
                    y[yo + j] += x[p + j];
                }
            }
        }
    }

    private static float contiguousRow(boolean max, float[] x, int off, int len) {
        if (max) {
            float m = Float.NEGATIVE_INFINITY;
            int i = 0;
            if (len >= L) {
                FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (int ub = S.loopBound(len); i < ub; i += L) {
                    acc = acc.max(FloatVector.fromArray(S, x, off + i));
                }
                m = acc.reduceLanes(VectorOperators.MAX);
            }
            for (; i < len; i++) {
                float v = x[off + i];
                m = Float.isNaN(v) || v > m ? v : m;
            }
            return m;
        }
        double total = 0;
        for (int b = 0; b < len; b += BLOCK) {
            int n = Math.min(BLOCK, len - b);
            total += VMath.sum(x, off + b, n);
        }
        return (float) total;
    }

    private static float stridedRow(boolean max, float[] x, int off, int stride, int len) {
        if (max) {
            float m = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                float v = x[off + i * stride];
                m = Float.isNaN(v) || v > m ? v : m;
            }
            return m;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += x[off + i * stride];
        }
        return (float) s;
    }

    /** Index of the first maximum (the reference's rule: strictly greater wins, element 0 starts). */
    static void argmax(Tensor x, int dim, Tensor out) {
        int len = x.size(dim);
        int sd = x.stride(dim);
        Layout l = Layout.of(out.squeeze(dim).shape(), Layout.without(x, dim), out.squeeze(dim));
        float[] xs = Arrays.f32(x);
        int[] ys = Arrays.i32(out);
        int sx = l.innerStride(0);
        int sy = l.innerStride(1);
        Segments.forEach(l, Math.max(16, Segments.GRAIN / Math.max(len, 1)), (row, start, n) -> {
            int xo = l.rowOffset(0, row) + start * sx;
            int yo = l.rowOffset(1, row) + start * sy;
            for (int j = 0; j < n; j++) {
                int p = xo + j * sx;
                int best = 0;
                float bestV = len > 0 ? xs[p] : 0f;
                for (int i = 1; i < len; i++) {
                    float v = xs[p + i * sd];
                    if (v > bestV) {
                        bestV = v;
                        best = i;
                    }
                }
                ys[yo + j * sy] = best;
            }
        });
    }
}
