package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** x · s for a constant s. */
public final class MulScalar extends Function {
    private final double s;

    public MulScalar(double s) {
        this.s = s;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].mul(s);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(s)};
    }
}
