package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;

/** max(x, 0); saves the output (positive exactly where x is): dx = g·[y &gt; 0]. */
public final class Relu extends Function {
    private Tensor saved;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = Ops.unary(UnaryOp.RELU, in[0]);
        saved = save(out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.binary(BinaryOp.RELU_BACKWARD, saved, g)};
    }
}
