package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.UnaryOp;

/** exp(x); saves the output, since d exp(x) = exp(x). */
public final class Exp extends Function {
    private Tensor saved;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = Ops.unary(UnaryOp.EXP, in[0]);
        saved = save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.mul(saved)};
    }
}
