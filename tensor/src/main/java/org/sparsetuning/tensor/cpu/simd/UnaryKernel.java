package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.UnaryOp;

/**
 * Elementwise functions of one tensor. The op is switched on once per segment, outside the loop, so each
 * loop body is one straight-line vector expression the JIT compiles without boxing. Strided segments are
 * staged through a small buffer so they run the same vector code (and give the same bits) as contiguous ones.
 */
final class UnaryKernel {
    private static final int BLOCK = 512;

    private UnaryKernel() {
    }

    static void run(UnaryOp op, Tensor x, Tensor out) {
        Layout l = Layout.of(out.shape(), x, out);
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        int sx = l.innerStride(0);
        int sy = l.innerStride(1);
        Segments.forEach(l, Segments.GRAIN, (row, start, len) -> {
            int xo = l.rowOffset(0, row) + start * sx;
            int yo = l.rowOffset(1, row) + start * sy;
            if (sx == 1 && sy == 1) {
                apply(op, xs, xo, ys, yo, len);
                return;
            }
            float[] buf = new float[Math.min(BLOCK, len)];
            for (int b = 0; b < len; b += BLOCK) {
                int n = Math.min(BLOCK, len - b);
                Arrays.gather(xs, xo + b * sx, sx, buf, n);
                apply(op, buf, 0, buf, 0, n);
                Arrays.scatter(buf, n, ys, yo + b * sy, sy);
            }
        });
    }

    /** y[yo + i] ← op(x[xo + i]) for i < n; x and y may be the same array at the same offset. */
    static void apply(UnaryOp op, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        int ub = S.loopBound(n);
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        switch (op) {
            case NEG:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
                }
                break;
            case EXP:
                for (; i < ub; i += L) {
                    VMath.exp(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
                break;
            case LOG:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(y, yo + i);
                }
                break;
            case SQRT:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(y, yo + i);
                }
                break;
            case RSQRT:
                for (; i < ub; i += L) {
                    one.div(FloatVector.fromArray(S, x, xo + i).sqrt()).intoArray(y, yo + i);
                }
                break;
            case TANH:
                for (; i < ub; i += L) {
                    VMath.tanh(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
                break;
            case SIGMOID:
                for (; i < ub; i += L) {
                    VMath.sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
                break;
            case RELU:
                for (; i < ub; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
                }
                break;
            case GELU:
                for (; i < ub; i += L) {
                    VMath.gelu(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
                break;
            case ABS:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
                }
                break;
            case SQUARE:
                for (; i < ub; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + i);
                    v.mul(v).intoArray(y, yo + i);
                }
                break;
            case RECIPROCAL:
                for (; i < ub; i += L) {
                    one.div(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
                }
                break;
            default:
                break;
        }
        // The tail (and any op without a vector form) takes the specification's scalar formula.
        for (; i < n; i++) {
            y[yo + i] = (float) op.apply(x[xo + i]);
        }
    }
}
