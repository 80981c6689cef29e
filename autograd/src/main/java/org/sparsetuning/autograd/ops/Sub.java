package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** a − b with broadcasting. */
public final class Sub extends Function {
    private int[] shapeA;
    private int[] shapeB;

    @Override
    protected Tensor forward(Tensor... in) {
        shapeA = in[0].shape();
        shapeB = in[1].shape();
        return in[0].sub(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsInputGrad(0) ? Ops.sumToShape(g, shapeA) : null,
            needsInputGrad(1) ? Ops.sumToShape(g, shapeB).neg() : null};
    }
}
