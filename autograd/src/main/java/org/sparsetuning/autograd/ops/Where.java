package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** mask ≠ 0 ? a : b, broadcasting all three; the gradient goes to whichever side was picked. */
public final class Where extends Function {
    private final Tensor mask;
    private int[] shapeA;
    private int[] shapeB;

    public Where(Tensor mask) {
        this.mask = mask;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shapeA = in[0].shape();
        shapeB = in[1].shape();
        save(mask);
        return Ops.where(mask, in[0], in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor zero = Ops.scalarLike(g, 0.0);
        return new Tensor[] {
            needsInputGrad(0) ? Ops.sumToShape(Ops.where(mask, g, zero), shapeA) : null,
            needsInputGrad(1) ? Ops.sumToShape(Ops.where(mask, zero, g), shapeB) : null};
    }
}
