package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;

/** The transformer feed-forward network: fc1, exact GELU, fc2 (timm names {@code fc1}, {@code fc2}). */
public final class Mlp extends Module {
    public final Linear fc1;
    public final Gelu act;
    public final Linear fc2;

    public Mlp(int dim, int hidden, Generator g) {
        this.fc1 = child("fc1", new Linear(dim, hidden, g));
        this.act = child("act", new Gelu());
        this.fc2 = child("fc2", new Linear(hidden, dim, g));
    }

    public Variable forward(Variable x) {
        if (!GradMode.isEnabled() || (!fc1.weight.requiresGrad() && !fc2.weight.requiresGrad())) {
            // Frozen weights (or no graph): one fused operation that keeps for backward either, by default, the
            // 4·D-wide hidden activation or only x, recomputing the hidden activation there (MlpMemory).
            return F.fusedMlp(x, fc1.weight, fc1.bias, fc2.weight, fc2.bias, MlpMemory.keepHidden());
        }
        return fc2.forward(act.forward(fc1.forward(x)));
    }
}
