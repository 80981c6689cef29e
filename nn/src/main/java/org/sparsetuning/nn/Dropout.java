package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;

/** Inverted dropout; the identity in evaluation mode or when p = 0 (then nothing is recorded). */
public final class Dropout extends Module {
    public final double p;
    private final Generator generator;

    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    public Variable forward(Variable x) {
        return F.dropout(x, p, isTraining(), generator);
    }
}
