package org.sparsetuning.tensor.backend;

/**
 * The numbers of one AdamW update (decoupled weight decay, Loshchilov and Hutter), for {@link Backend#adamw}:
 * learning rate, the moments' decay rates, ε, the weight decay λ and the 1-based step count t, from which the
 * bias corrections c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ follow.
 */
public record AdamWStep(double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
    public AdamWStep {
        if (step < 1) {
            throw new IllegalArgumentException("AdamW step count must be >= 1, got " + step);
        }
    }

    /** 1 − β1ᵗ, the first moment's bias correction. */
    public double c1() {
        return 1 - Math.pow(beta1, step);
    }

    /** 1 − β2ᵗ, the second moment's bias correction. */
    public double c2() {
        return 1 - Math.pow(beta2, step);
    }

    /** 1 − β1, the gradient's weight in the first moment. */
    public double oneMinusBeta1() {
        return 1 - beta1;
    }

    /** 1 − β2, the squared gradient's weight in the second moment. */
    public double oneMinusBeta2() {
        return 1 - beta2;
    }

    /** lr / c1, the step's scale. */
    public double stepSize() {
        return lr / c1();
    }

    /** 1 − lr·λ, the decoupled weight decay's factor (applied only when λ ≠ 0). */
    public double decayFactor() {
        return 1 - lr * weightDecay;
    }
}
