package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** −x. */
public final class Neg extends Function {
    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].neg();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.neg()};
    }
}
