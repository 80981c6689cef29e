package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** Log-softmax over the last dimension; saves its output y: dx = g − exp(y)·Σ g. */
public final class LogSoftmax extends Function {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        return y = save(Ops.softmax(in[0], true));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Softmax.backward(y, g, true)};
    }
}
