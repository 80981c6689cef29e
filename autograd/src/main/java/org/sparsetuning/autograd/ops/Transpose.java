package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** Swaps two dimensions (a view); its own inverse. */
public final class Transpose extends Function {
    private final int d0;
    private final int d1;

    public Transpose(int d0, int d1) {
        this.d0 = d0;
        this.d1 = d1;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return in[0].transpose(d0, d1);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.transpose(d0, d1)};
    }
}
