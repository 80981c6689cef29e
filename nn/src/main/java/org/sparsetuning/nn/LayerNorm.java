package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

/** Layer normalisation over the last dimension with a learnt scale (ones) and shift (zeros). */
public final class LayerNorm extends Module {
    public final double eps;
    public final Variable weight;
    public final Variable bias;

    public LayerNorm(int dim, double eps) {
        this.eps = eps;
        this.weight = parameter("weight", Tensor.ones(dim));
        this.bias = parameter("bias", Tensor.zeros(dim));
    }

    public Variable forward(Variable x) {
        return F.layerNorm(x, weight, bias, eps);
    }
}
