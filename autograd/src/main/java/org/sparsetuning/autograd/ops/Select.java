package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** Index i of one dimension, which is removed (a view); the gradient is g placed into zeros. */
public final class Select extends Function {
    private final int dim;
    private final int index;
    private int[] inShape;

    public Select(int dim, int index) {
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        return in[0].select(dim, index);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Ops.empty(g.dtype(), inShape, Backends.of(g));
        dx.select(dim, index).copyFrom(g);
        return new Tensor[] {dx};
    }
}
