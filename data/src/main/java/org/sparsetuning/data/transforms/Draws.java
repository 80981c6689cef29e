package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/** Scalar draws for augmentation parameters. */
final class Draws {
    private Draws() {
    }

    /** Uniform in [lo, hi]. */
    static double uniform(Generator g, double lo, double hi) {
        return g.uniform(1, lo, hi)[0];
    }

    /** Uniform integer in [0, n) (the float draw can round up to 1, hence the clamp). */
    static int below(Generator g, int n) {
        return Math.min(n - 1, (int) Math.floor(g.uniform(1)[0] * (double) n));
    }

    static boolean coin(Generator g, double p) {
        return g.uniform(1)[0] < p;
    }
}
