package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;

/**
 * y = x·Wᵀ + b with W stored [out, in] as in PyTorch, and the bias added in the product's epilogue.
 * Inputs: x [..., in], W [out, in], b [out] or null.
 *
 * <p>What is kept for backward follows what is needed: x only when W needs a gradient (dW = gᵀ·x), W only
 * when x needs one (dx = g·W), nothing for the bias (db = Σ g). So a frozen weight never makes its layer
 * hold on to its input activation.
 */
public final class Linear extends Function {
    private Tensor x;
    private Tensor w;
    private boolean hasBias;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor input = in[0];
        Tensor weight = in[1];
        Tensor bias = in.length > 2 ? in[2] : null;
        hasBias = bias != null;
        if (weight.dim() != 2 || input.dim() == 0 || input.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shape.str(input.shape()) + " and weight "
                    + Shape.str(weight.shape()) + " (expected [..., in] and [out, in])");
        }
        if (needsInputGrad(0)) {
            w = save(weight);
        }
        if (needsInputGrad(1)) {
            x = save(input);
        }
        return Ops.matmul(input, weight.mT(), bias, Activation.NONE);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int out = g.size(-1);
        boolean biasGrad = hasBias && needsInputGrad(2);
        boolean paramGrads = needsInputGrad(1) || biasGrad;
        Tensor g2 = paramGrads ? g.reshape(-1, out) : null;
        return new Tensor[] {
            needsInputGrad(0) ? g.matmul(w) : null,
            needsInputGrad(1) ? g2.mT().matmul(x.reshape(-1, x.size(-1))) : null,
            biasGrad ? g2.sum(0, false) : null};
    }
}
