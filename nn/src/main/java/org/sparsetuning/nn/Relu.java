package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;

public final class Relu extends Module {
    public Variable forward(Variable x) {
        return F.relu(x);
    }
}
