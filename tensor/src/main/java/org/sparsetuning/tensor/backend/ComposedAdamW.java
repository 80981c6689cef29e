package org.sparsetuning.tensor.backend;

import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * One AdamW update written with a backend's elementwise operations, one pass per operation: the definition of
 * {@link Backend#adamw}, which a backend without a fused kernel uses as it is and a fused kernel is tested
 * against. Each scalar is rounded to the tensors' type once, and every operation rounds its result, so a fused
 * kernel that applies the same operations in the same order gives the same bits.
 */
public final class ComposedAdamW {
    private ComposedAdamW() {
    }

    /** p, m and v updated in place from the gradient g (see {@link Backend#adamw}). */
    public static void update(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep s) {
        try (TensorScope scope = TensorScope.open()) {
            m.copyFrom(m.mul(s.beta1()).add(g.mul(s.oneMinusBeta1())));
            v.copyFrom(v.mul(s.beta2()).add(g.square().mul(s.oneMinusBeta2())));
            Tensor denom = v.div(s.c2()).sqrt().add(s.eps());
            Tensor step = m.div(denom).mul(s.stepSize());
            Tensor decayed = s.weightDecay() != 0 ? p.mul(s.decayFactor()) : p;
            p.copyFrom(decayed.sub(step));
        }
    }
}
