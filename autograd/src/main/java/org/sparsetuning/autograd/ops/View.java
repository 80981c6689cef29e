package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** A new shape over the same contiguous storage (no copy; fails on a non-contiguous input, see Reshape). */
public final class View extends Function {
    private final int[] shape;
    private int[] inShape;

    public View(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        return in[0].view(shape);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inShape)};
    }
}
