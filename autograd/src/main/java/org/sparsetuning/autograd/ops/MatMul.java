package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/**
 * Matrix product with NumPy's rules (1-D operands promoted, batch dimensions broadcast):
 * da = g·bᵀ, db = aᵀ·g, each summed back over broadcast batch dimensions. Transposes are views; the kernels
 * read them in column-major order without a copy.
 */
public final class MatMul extends Function {
    private int[] shapeA;
    private int[] shapeB;
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor... in) {
        shapeA = in[0].shape();
        shapeB = in[1].shape();
        if (needsInputGrad(0)) {
            b = save(in[1]);
        }
        if (needsInputGrad(1)) {
            a = save(in[0]);
        }
        return in[0].matmul(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        boolean vecA = shapeA.length == 1;
        boolean vecB = shapeB.length == 1;
        // Undo the squeezes of the forward pass so g is [..., M, N].
        Tensor g2 = g;
        if (vecA) {
            g2 = g2.unsqueeze(vecB ? g2.dim() : g2.dim() - 1);
        }
        if (vecB) {
            g2 = g2.unsqueeze(g2.dim());
        }
        Tensor ga = null;
        Tensor gb = null;
        if (needsInputGrad(0)) {
            Tensor b2 = vecB ? b.unsqueeze(1) : b;
            ga = Ops.sumToShape(g2.matmul(b2.mT()), vecA ? new int[] {1, shapeA[0]} : shapeA);
            ga = vecA ? ga.squeeze(0) : ga;
        }
        if (needsInputGrad(1)) {
            Tensor a2 = vecA ? a.unsqueeze(0) : a;
            int[] b2Shape = vecB ? new int[] {shapeB[0], 1} : shapeB;
            if (b2Shape.length == 2 && g2.dim() > 2) {
                // A shared weight: fold every batch row into one [K, rows]·[rows, N] product.
                int k = a2.size(-1);
                Tensor rowsA = a2.expand(batchOf(g2, a2)).reshape(-1, k);
                gb = rowsA.mT().matmul(g2.reshape(-1, g2.size(-1)));
            } else {
                gb = Ops.sumToShape(a2.mT().matmul(g2), b2Shape);
            }
            gb = vecB ? gb.squeeze(1) : gb;
        }
        return new Tensor[] {ga, gb};
    }

    /** a's shape with g's batch dimensions (a may have fewer or broadcast ones). */
    private static int[] batchOf(Tensor g2, Tensor a2) {
        int[] s = g2.shape();
        s[s.length - 2] = a2.size(-2);
        s[s.length - 1] = a2.size(-1);
        return s;
    }
}
