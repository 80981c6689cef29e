package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;

/**
 * Elementwise functions of two tensors. After {@link Layout} merges dimensions, the shapes that matter
 * reduce to inner strides of 1 or 0: both contiguous (x + y), one operand constant along the row (x + scalar,
 * or a [C] bias broadcast over [R, C], whose rows restart the bias at stride 1 while the other operand
 * advances). Those run as vector loops that read a constant operand as a vector of its copies; any other stride
 * is staged through a buffer so it reuses the same loops.
 */
final class BinaryKernel {
    private static final int BLOCK = 512;

    private BinaryKernel() {
    }

    static void run(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        Layout l = Layout.of(out.shape(), a, b, out);
        float[] as = Arrays.f32(a);
        float[] bs = Arrays.f32(b);
        float[] ys = Arrays.f32(out);
        int sa = l.innerStride(0);
        int sb = l.innerStride(1);
        int sy = l.innerStride(2);
        Segments.forEach(l, Segments.GRAIN, (row, start, len) -> {
            int ao = l.rowOffset(0, row) + start * sa;
            int bo = l.rowOffset(1, row) + start * sb;
            int yo = l.rowOffset(2, row) + start * sy;
            boolean unitOrZeroA = sa == 1 || sa == 0;
            boolean unitOrZeroB = sb == 1 || sb == 0;
            if (unitOrZeroA && unitOrZeroB && sy == 1) {
                apply(op, as, ao, sa, bs, bo, sb, ys, yo, len);
                return;
            }
            float[] ba = new float[Math.min(BLOCK, len)];
            float[] bb = new float[ba.length];
            for (int s = 0; s < len; s += BLOCK) {
                int n = Math.min(BLOCK, len - s);
                Arrays.gather(as, ao + s * sa, sa, ba, n);
                Arrays.gather(bs, bo + s * sb, sb, bb, n);
                apply(op, ba, 0, 1, bb, 0, 1, ba, 0, n);
                Arrays.scatter(ba, n, ys, yo + s * sy, sy);
            }
        });
    }

    /**
     * y[yo + i] ← op(a[ao + i·sa], b[bo + i·sb]) with sa, sb ∈ {0, 1}. A constant operand (stride 0) is read as a
     * vector of its copies at a fixed index, so each op has one loop whatever the strides. Each loop body is
     * written out with no call that passes or returns a vector: HotSpot refuses to inline a vector-valued helper
     * once it has been compiled on its own into a large method (measured: a shared per-op switch, compiled alone
     * during warm-up, was never inlined again, and every vector of every residual add was boxed: about 1.4 GB of
     * garbage a Sparse-Tuning step at batch 8, in JFR's allocation samples).
     */
    static void apply(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] y, int yo, int n) {
        float[] av = sa == 0 ? splat(a[ao]) : a;
        float[] bv = sb == 0 ? splat(b[bo]) : b;
        int avo = sa == 0 ? 0 : ao;
        int bvo = sb == 0 ? 0 : bo;
        int ub = S.loopBound(n);
        int i = 0;
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        switch (op) {
            case ADD:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).add(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case SUB:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).sub(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case MUL:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).mul(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case DIV:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).div(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case MAX:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).max(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case MIN:
                for (; i < ub; i += L) {
                    FloatVector.fromArray(S, av, avo + i * sa).min(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case EQ: case NE: {
                // The comparison must be a constant for the JIT's intrinsic: NE is EQ with 1 and 0 swapped.
                FloatVector hit = op == BinaryOp.EQ ? one : zero;
                FloatVector miss = op == BinaryOp.EQ ? zero : one;
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(S, av, avo + i * sa);
                    miss.blend(hit, x.compare(VectorOperators.EQ, FloatVector.fromArray(S, bv, bvo + i * sb))).intoArray(y, yo + i);
                }
                break;
            }
            case GT: case LT: case GE: case LE: {
                // a < b is b > a and a <= b is b >= a (NaN false either way): two constant comparisons.
                boolean swap = op == BinaryOp.LT || op == BinaryOp.LE;
                float[] p = swap ? bv : av;
                float[] q = swap ? av : bv;
                int po = swap ? bvo : avo;
                int qo = swap ? avo : bvo;
                int ps = swap ? sb : sa;
                int qs = swap ? sa : sb;
                if (op == BinaryOp.GT || op == BinaryOp.LT) {
                    for (; i < ub; i += L) {
                        FloatVector x = FloatVector.fromArray(S, p, po + i * ps);
                        zero.blend(one, x.compare(VectorOperators.GT, FloatVector.fromArray(S, q, qo + i * qs))).intoArray(y, yo + i);
                    }
                } else {
                    for (; i < ub; i += L) {
                        FloatVector x = FloatVector.fromArray(S, p, po + i * ps);
                        zero.blend(one, x.compare(VectorOperators.GE, FloatVector.fromArray(S, q, qo + i * qs))).intoArray(y, yo + i);
                    }
                }
                break;
            }
            case RELU_BACKWARD:
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(S, av, avo + i * sa);
                    zero.blend(FloatVector.fromArray(S, bv, bvo + i * sb), x.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i);
                }
                break;
            case TANH_BACKWARD:
                for (; i < ub; i += L) {
                    FloatVector t = FloatVector.fromArray(S, av, avo + i * sa);
                    t.neg().fma(t, one).mul(FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case SIGMOID_BACKWARD:
                for (; i < ub; i += L) {
                    FloatVector s = FloatVector.fromArray(S, av, avo + i * sa);
                    FloatVector.fromArray(S, bv, bvo + i * sb).mul(s).mul(s.neg().add(1f)).intoArray(y, yo + i);
                }
                break;
            case POW:
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(S, av, avo + i * sa);
                    x.lanewise(VectorOperators.POW, FloatVector.fromArray(S, bv, bvo + i * sb)).intoArray(y, yo + i);
                }
                break;
            case GELU_BACKWARD:
                VMath.geluBackward(av, avo, sa, bv, bvo, sb, y, yo, ub);
                i = ub;
                break;
            default:
                throw new AssertionError(op);
        }
        for (; i < n; i++) {
            y[yo + i] = (float) op.apply(a[ao + i * sa], b[bo + i * sb]);
        }
    }

    private static float[] splat(float v) {
        float[] copies = new float[L];
        java.util.Arrays.fill(copies, v);
        return copies;
    }
}
