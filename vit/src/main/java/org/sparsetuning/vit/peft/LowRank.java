package org.sparsetuning.vit.peft;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Module;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.random.Generator;

/**
 * LoRA's factor pair for one projection: x ↦ x·Aᵀ·Bᵀ with {@code A} [r, D] and {@code B} [D, r]. Training init:
 * A Kaiming-uniform (nn.Linear's default), B zero, so the update starts at 0 but A's gradient does not.
 */
public final class LowRank extends Module {
    public final Variable a;
    public final Variable b;

    public LowRank(int dim, int rank, Generator g) {
        this.a = parameter("A", Init.kaimingUniform(g, rank, dim));
        this.b = parameter("B", Init.zeros(dim, rank));
    }

    public Variable forward(Variable x) {
        return F.linear(F.linear(x, a, null), b, null);
    }
}
