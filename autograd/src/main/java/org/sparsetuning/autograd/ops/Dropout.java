package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.random.Generator;

/**
 * Inverted dropout: each element is zeroed with probability p and the survivors scaled by 1/(1−p), so the
 * expectation is unchanged and evaluation needs no rescaling. The mask comes from the given generator and is
 * the only thing saved.
 */
public final class Dropout extends Function {
    private final double p;
    private final Generator generator;
    private Tensor mask;

    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        // The generator runs on the host; on a device its draw is uploaded (a no-op on the CPU).
        Tensor u = Tensor.rand(generator, in[0].shape()).to(in[0].device());
        Tensor keep = Ops.binary(BinaryOp.GE, u, Ops.scalarLike(u, p));
        mask = save(keep.to(in[0].dtype()).mul(1.0 / (1.0 - p)));
        return in[0].mul(mask);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(mask)};
    }
}
