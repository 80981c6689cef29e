package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** A new shape: a view when the layout allows it, otherwise a contiguous copy. */
public final class Reshape extends Function {
    private final int[] shape;
    private int[] inShape;

    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        return in[0].reshape(shape);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inShape)};
    }
}
