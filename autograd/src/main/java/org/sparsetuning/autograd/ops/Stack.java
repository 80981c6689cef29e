package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Joins same-shaped tensors along a new dimension; each input's gradient is its index of g (a view). */
public final class Stack extends Function {
    private final int dim;
    private int d;

    public Stack(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        if (in.length == 0) {
            throw new IllegalArgumentException("stack of nothing");
        }
        d = Shape.dim(dim, in[0].dim() + 1);
        return Ops.stack(in, d);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] out = new Tensor[g.size(d)];
        for (int i = 0; i < out.length; i++) {
            out[i] = needsInputGrad(i) ? g.select(d, i) : null;
        }
        return out;
    }
}
