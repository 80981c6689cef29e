package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;

/** Exact GELU, x·Φ(x) with the erf-based Φ; saves x: dx = g·(Φ(x) + x·φ(x)). */
public final class Gelu extends Function {
    private Tensor saved;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor out = Ops.unary(UnaryOp.GELU, in[0]);
        saved = save(in[0]);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.binary(BinaryOp.GELU_BACKWARD, saved, g)};
    }
}
