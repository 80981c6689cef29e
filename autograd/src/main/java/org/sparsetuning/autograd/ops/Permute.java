package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Reorders dimensions (a view); the gradient is permuted back by the inverse order. */
public final class Permute extends Function {
    private final int[] order;
    private int[] inverse;

    public Permute(int... order) {
        this.order = order.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = in[0].permute(order);
        inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shape.dim(order[i], order.length)] = i;
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.permute(inverse)};
    }
}
