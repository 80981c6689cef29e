package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** a ^ b with a tensor exponent: da = g·b·a^(b−1), db = g·a^b·ln a (defined for a &gt; 0). */
public final class Pow extends Function {
    private int[] shapeA;
    private int[] shapeB;
    private Tensor a;
    private Tensor b;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        shapeA = in[0].shape();
        shapeB = in[1].shape();
        Tensor out = in[0].pow(in[1]);
        a = save(in[0]);
        if (needsInputGrad(0)) {
            b = save(in[1]);
        }
        if (needsInputGrad(1)) {
            y = save(out);
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {
            needsInputGrad(0) ? Ops.sumToShape(g.mul(b).mul(a.pow(b.sub(1.0))), shapeA) : null,
            needsInputGrad(1) ? Ops.sumToShape(g.mul(y).mul(a.log()), shapeB) : null};
    }
}
