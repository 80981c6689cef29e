package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Inserts a size-1 dimension (a view). */
public final class Unsqueeze extends Function {
    private final int dim;
    private int d;

    public Unsqueeze(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        d = Shape.dim(dim, in[0].dim() + 1);
        return in[0].unsqueeze(d);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.squeeze(d)};
    }
}
