package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * The feed-forward network fc2(GELU(fc1(x))) as one operation, for frozen weights (the PEFT setting). Inputs:
 * x [..., D], W1 [H, D], b1 [H] or null, W2 [D, H], b2 [D] or null. Gradients for trainable weights or biases are
 * still produced when asked for.
 *
 * <p>GELU's backward needs fc1's output, H = 4·D values per token: the largest tensor a block would keep. The
 * operation either recomputes it in backward ({@code keepHidden} false: a block keeps only x, D values per token,
 * and pays one more fc1 product, about a sixth of a frozen block's backward and forward FLOPs together) or keeps
 * it from forward ({@code keepHidden} true: no second product, 4·D more values per token until backward). When
 * nothing is recorded for backward, GELU is fused into fc1's product and nothing is kept either way.
 */
public final class FusedMlp extends Function {
    private final boolean keepHidden;
    private Tensor x;
    private Tensor w1;
    private Tensor b1;
    private Tensor w2;
    private boolean hasB2;
    /** fc1's output before GELU, when kept from forward. */
    private Tensor pre;

    public FusedMlp(boolean keepHidden) {
        this.keepHidden = keepHidden;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor input = in[0];
        Tensor fc1w = in[1];
        Tensor fc2w = in[3];
        if (fc1w.dim() != 2 || fc2w.dim() != 2 || input.size(-1) != fc1w.size(1) || fc2w.size(1) != fc1w.size(0)) {
            throw new IllegalArgumentException("mlp: input " + Shape.str(input.shape()) + ", fc1 " + Shape.str(fc1w.shape())
                    + ", fc2 " + Shape.str(fc2w.shape()) + " (expected [..., D], [H, D], [D, H])");
        }
        hasB2 = in[4] != null;
        boolean keep = keepHidden && recording();
        // With fc1's output kept, x is read again only for a trainable W1's gradient, and b1 not at all.
        x = keep && !needsInputGrad(1) ? null : save(input);
        w1 = save(fc1w);
        b1 = keep ? null : save(in[2]);
        w2 = save(fc2w);
        try (TensorScope scope = TensorScope.open()) {
            Tensor hidden;
            if (keep) {
                pre = save(Ops.matmul(input, fc1w.mT(), in[2], Activation.NONE));   // saved: outlives the scope
                hidden = Ops.unary(UnaryOp.GELU, pre);
            } else {
                hidden = Ops.matmul(input, fc1w.mT(), in[2], Activation.GELU);
            }
            Tensor out = Ops.matmul(hidden, fc2w.mT(), in[4], Activation.NONE);
            scope.escape(out.storage());
            return out;
        }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] grads = new Tensor[5];
        try (TensorScope scope = TensorScope.open()) {
            Tensor fc1Out = pre != null ? pre : Ops.matmul(x, w1.mT(), b1, Activation.NONE);   // kept, or recomputed
            Tensor dHidden = g.matmul(w2);
            Tensor dPre = Ops.binary(BinaryOp.GELU_BACKWARD, fc1Out, dHidden);
            if (needsInputGrad(0)) {
                grads[0] = keep(scope, dPre.matmul(w1));
            }
            if (needsInputGrad(1)) {
                grads[1] = keep(scope, dPre.reshape(-1, dPre.size(-1)).mT().matmul(x.reshape(-1, x.size(-1))));
            }
            if (needsInputGrad(2)) {
                grads[2] = keep(scope, dPre.reshape(-1, dPre.size(-1)).sum(0, false));
            }
            Tensor g2 = g.reshape(-1, g.size(-1));
            if (needsInputGrad(3)) {
                Tensor hidden = Ops.unary(UnaryOp.GELU, fc1Out);
                grads[3] = keep(scope, g2.mT().matmul(hidden.reshape(-1, hidden.size(-1))));
            }
            if (hasB2 && needsInputGrad(4)) {
                grads[4] = keep(scope, g2.sum(0, false));
            }
        }
        return grads;
    }

    private static Tensor keep(TensorScope scope, Tensor t) {
        scope.escape(t.storage());
        return t;
    }
}
