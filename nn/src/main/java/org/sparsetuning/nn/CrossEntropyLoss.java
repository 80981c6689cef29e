package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

/** Mean cross-entropy of logits [B, C] against I32 labels [B], with optional label smoothing ε. */
public final class CrossEntropyLoss extends Module {
    public final double labelSmoothing;

    public CrossEntropyLoss(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    public CrossEntropyLoss() {
        this(0.0);
    }

    public Variable forward(Variable logits, Tensor labels) {
        return F.crossEntropy(logits, labels, labelSmoothing);
    }
}
