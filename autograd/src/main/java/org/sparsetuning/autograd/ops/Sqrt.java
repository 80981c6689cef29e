package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.UnaryOp;

/** √x; saves the output: dx = g / (2·√x). */
public final class Sqrt extends Function {
    private Tensor saved;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = Ops.unary(UnaryOp.SQRT, in[0]);
        saved = save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g.div(saved).mul(0.5)};
    }
}
