package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Tensor;

/** x ^ p with a constant exponent: dx = g·p·x^(p−1). */
public final class PowScalar extends Function {
    private final double p;
    private Tensor x;

    public PowScalar(double p) {
        this.p = p;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = save(in[0]);
        return in[0].pow(p);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(x.pow(p - 1.0)).mul(p)};
    }
}
