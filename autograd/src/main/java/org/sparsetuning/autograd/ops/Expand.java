package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** A broadcast view (size-1 or missing leading dimensions repeat); the gradient is summed back. */
public final class Expand extends Function {
    private final int[] shape;
    private int[] inShape;

    public Expand(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        return in[0].expand(shape);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.sumToShape(g, inShape)};
    }
}
