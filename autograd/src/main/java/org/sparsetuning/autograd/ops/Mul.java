package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** a · b with broadcasting: da = g·b, db = g·a, each kept only if the other side needs it. */
public final class Mul extends Function {
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
        return in[0].mul(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsInputGrad(0) ? Ops.sumToShape(g.mul(b), shapeA) : null,
            needsInputGrad(1) ? Ops.sumToShape(g.mul(a), shapeB) : null};
    }
}
