package org.sparsetuning.nn;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * Stochastic depth on a residual branch: in training, each sample's branch output [B, ...] is dropped with
 * probability p and the survivors are scaled by 1/(1−p). The identity in evaluation or when p = 0.
 */
public final class DropPath extends Module {
    public final double p;
    private final Generator generator;

    public DropPath(double p, Generator generator) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("DropPath: p must be in [0, 1), got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        int b = x.size(0);
        float[] u = generator.uniform(b);
        float[] keep = new float[b];
        for (int i = 0; i < b; i++) {
            keep[i] = u[i] >= p ? (float) (1.0 / (1.0 - p)) : 0f;
        }
        int[] maskShape = new int[x.dim()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[0] = b;
        Tensor mask = Tensor.of(keep, maskShape).to(x.data().dtype()).to(x.data().device());
        return x.mul(Variable.constant(mask));
    }
}
