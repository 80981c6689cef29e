package org.sparsetuning.nn;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.random.Generator;

/**
 * y = x·Wᵀ + b with W [out, in] (PyTorch's layout, so timm checkpoints load as they are). Initialised as
 * nn.Linear: W Kaiming-uniform with a = √5, i.e. U(±1/√in), and b U(±1/√in).
 */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Variable weight;
    public final Variable bias;

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator g) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in " + inFeatures + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Init.kaimingUniform(g, outFeatures, inFeatures));
        double bound = 1.0 / Math.sqrt(inFeatures);
        this.bias = bias ? parameter("bias", Init.uniform(g, -bound, bound, outFeatures)) : null;
    }

    public Linear(int inFeatures, int outFeatures, Generator g) {
        this(inFeatures, outFeatures, true, g);
    }

    /** Zero weight and bias (adapter up-projections start at zero so the model starts as the backbone). */
    public Linear zeroInit() {
        weight.data().fill(0);
        if (bias != null) {
            bias.data().fill(0);
        }
        return this;
    }

    public Variable forward(Variable x) {
        return F.linear(x, weight, bias);
    }

}
