package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Removes a size-1 dimension (a view). */
public final class Squeeze extends Function {
    private final int dim;
    private int d;

    public Squeeze(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        d = Shape.dim(dim, in[0].dim());
        return in[0].squeeze(d);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.unsqueeze(d)};
    }
}
