package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * out ← mask ≠ 0 ? a : b. Masks are usually F32 comparison results laid out like the data, so that case is a
 * vector blend; I32 masks and other strides take a plain loop (where is never a hot op).
 */
final class WhereKernel {
    private WhereKernel() {
    }

    static void run(Tensor mask, Tensor a, Tensor b, Tensor out) {
        Layout l = Layout.of(out.shape(), mask, a, b, out);
        boolean floatMask = mask.dtype() == DType.F32;
        float[] mf = floatMask ? Arrays.f32(mask) : null;
        int[] mi = floatMask ? null : Arrays.i32(mask);
        float[] as = Arrays.f32(a);
        float[] bs = Arrays.f32(b);
        float[] ys = Arrays.f32(out);
        int sm = l.innerStride(0);
        int sa = l.innerStride(1);
        int sb = l.innerStride(2);
        int sy = l.innerStride(3);
        Segments.forEach(l, Segments.GRAIN, (row, start, len) -> {
            int mo = l.rowOffset(0, row) + start * sm;
            int ao = l.rowOffset(1, row) + start * sa;
            int bo = l.rowOffset(2, row) + start * sb;
            int yo = l.rowOffset(3, row) + start * sy;
            int i = 0;
            if (floatMask && sm == 1 && sa == 1 && sb == 1 && sy == 1) {
                for (int ub = S.loopBound(len); i < ub; i += L) {
                    FloatVector m = FloatVector.fromArray(S, mf, mo + i);
                    FloatVector va = FloatVector.fromArray(S, as, ao + i);
                    FloatVector vb = FloatVector.fromArray(S, bs, bo + i);
                    vb.blend(va, m.compare(VectorOperators.NE, 0f)).intoArray(ys, yo + i);
                }
            }
            for (; i < len; i++) {
                boolean take = floatMask ? mf[mo + i * sm] != 0 : mi[mo + i * sm] != 0;
                ys[yo + i * sy] = take ? as[ao + i * sa] : bs[bo + i * sb];
            }
        });
    }
}
