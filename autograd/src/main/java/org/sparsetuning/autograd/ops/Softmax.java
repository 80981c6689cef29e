package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;

/** Softmax over the last dimension; saves its output y: dx = y·(g − Σ g·y). */
public final class Softmax extends Function {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        return y = save(Ops.softmax(in[0], false));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {backward(y, g, false)};
    }

    /** The kernel call shared with {@link LogSoftmax}. */
    static Tensor backward(Tensor y, Tensor g, boolean log) {
        Backend be = Backends.of(y);
        Tensor dx = Ops.emptyForOverwrite(y.dtype(), y.shape(), be);
        be.softmaxBackward(y, g, log, dx);
        return dx;
    }
}
