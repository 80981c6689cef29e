package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** x + s for a constant s; the gradient passes through unchanged. */
public final class AddScalar extends Function {
    private final double s;

    public AddScalar(double s) {
        this.s = s;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].add(s);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g};
    }
}
