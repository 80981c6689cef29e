package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;

/** The exact (erf) GELU, as PyTorch's default and the ViT checkpoints expect. */
public final class Gelu extends Module {
    public Variable forward(Variable x) {
        return F.gelu(x);
    }
}
