package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;

/** tanh x; saves the output y: dx = g·(1 − y²). */
public final class Tanh extends Function {
    private Tensor saved;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = Ops.unary(UnaryOp.TANH, in[0]);
        saved = save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.binary(BinaryOp.TANH_BACKWARD, saved, g)};
    }
}
