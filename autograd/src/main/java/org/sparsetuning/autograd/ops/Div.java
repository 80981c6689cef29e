package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** a / b with broadcasting: da = g / b, db = −g·a / b². */
public final class Div extends Function {
    private int[] shapeA;
    private int[] shapeB;
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor... in) {
        shapeA = in[0].shape();
        shapeB = in[1].shape();
        b = save(in[1]);
        if (needsInputGrad(1)) {
            a = save(in[0]);
        }
        return in[0].div(in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gOverB = g.div(b);
        return new Tensor[] {
            needsInputGrad(0) ? Ops.sumToShape(gOverB, shapeA) : null,
            needsInputGrad(1) ? Ops.sumToShape(gOverB.mul(a).div(b).neg(), shapeB) : null};
    }
}
