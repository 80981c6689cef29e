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
 * advances). Those run as vector loops with the constant broadcast once; any other stride is staged through
 * a buffer so it reuses the same loops.
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

    /** y[yo + i] ← op(a[ao + i·sa], b[bo + i·sb]) with sa, sb ∈ {0, 1}. */
    static void apply(BinaryOp op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] y, int yo, int n) {
        int i = 0;
        int ub = S.loopBound(n);
        if (sa == 1 && sb == 1 && op == BinaryOp.GELU_BACKWARD) {
            // The one expensive binary op gets its own loop, so its long body is not behind the switch.
            for (; i < ub; i += L) {
                VMath.geluBackward(FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (sa == 1 && sb == 1) {
            for (; i < ub; i += L) {
                vec(op, FloatVector.fromArray(S, a, ao + i), FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else if (sa == 1) {
            FloatVector vb = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) {
                vec(op, FloatVector.fromArray(S, a, ao + i), vb).intoArray(y, yo + i);
            }
        } else if (sb == 1) {
            FloatVector va = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) {
                vec(op, va, FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
            }
        } else {
            ub = 0; // both constant: one value, written by the scalar loop
        }
        for (; i < n; i++) {
            y[yo + i] = (float) op.apply(a[ao + i * sa], b[bo + i * sb]);
        }
    }

    /** One vector of op(a, b); a switch the JIT inlines into each loop above (the op is loop invariant). */
    private static FloatVector vec(BinaryOp op, FloatVector a, FloatVector b) {
        switch (op) {
            case ADD: return a.add(b);
            case SUB: return a.sub(b);
            case MUL: return a.mul(b);
            case DIV: return a.div(b);
            case POW: return a.lanewise(VectorOperators.POW, b);
            case MAX: return a.max(b);
            case MIN: return a.min(b);
            case EQ: return bool(a.compare(VectorOperators.EQ, b));
            case NE: return bool(a.compare(VectorOperators.NE, b));
            case LT: return bool(a.compare(VectorOperators.LT, b));
            case LE: return bool(a.compare(VectorOperators.LE, b));
            case GT: return bool(a.compare(VectorOperators.GT, b));
            case GE: return bool(a.compare(VectorOperators.GE, b));
            case GELU_BACKWARD: return VMath.geluBackward(a, b);
            case RELU_BACKWARD: return FloatVector.zero(S).blend(b, a.compare(VectorOperators.GT, 0f));
            case TANH_BACKWARD: return a.neg().fma(a, VMath.c(1f)).mul(b);
            case SIGMOID_BACKWARD: return b.mul(a).mul(a.neg().add(1f));
            default: throw new AssertionError(op);
        }
    }

    private static FloatVector bool(jdk.incubator.vector.VectorMask<Float> m) {
        return FloatVector.zero(S).blend(1f, m);
    }
}
