package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** x with a constant wherever mask ≠ 0 (the attention-mask idiom); no gradient flows through filled places. */
public final class MaskedFill extends Function {
    private final Tensor mask;
    private final double value;
    private int[] inShape;

    public MaskedFill(Tensor mask, double value) {
        this.mask = mask;
        this.value = value;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        save(mask);
        return Ops.where(mask, Ops.scalarLike(in[0], value), in[0]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.sumToShape(Ops.where(mask, Ops.scalarLike(g, 0.0), g), inShape)};
    }
}
