package org.sparsetuning.vit.peft;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.Tensor;

/**
 * n matrices, each kept as a product of two low-rank factors: M_k = left[k]·right[k], with left [n, p, r] and
 * right [n, r, q] (KAdaptation's A_k and B_k). The factors are named by the caller ({@code a_left}/{@code a_right}
 * or {@code b_left}/{@code b_right}).
 */
public final class FactorPairs extends Module {
    public final Variable left;
    public final Variable right;

    public FactorPairs(String leftName, Tensor left, String rightName, Tensor right) {
        if (left.dim() != 3 || right.dim() != 3 || left.size(0) != right.size(0) || left.size(2) != right.size(1)) {
            throw new IllegalArgumentException("factor pairs: left must be [n, p, r] and right [n, r, q], got "
                    + java.util.Arrays.toString(left.shape()) + " and " + java.util.Arrays.toString(right.shape()));
        }
        this.left = parameter(leftName, left);
        this.right = parameter(rightName, right);
    }

    /** [n, p, q]: every M_k. */
    public Variable matrices() {
        return left.matmul(right);
    }
}
