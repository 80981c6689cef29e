package org.sparsetuning.nn.optim;

/**
 * Linear warm-up from 0 to the base rate over {@code warmupSteps}, then a half cosine down to
 * {@code minLr} at {@code totalSteps}.
 */
public record WarmupCosine(double baseLr, double minLr, long warmupSteps, long totalSteps) {
    public WarmupCosine {
        if (warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("need 0 <= warmupSteps <= totalSteps and totalSteps > 0, got "
                    + warmupSteps + " and " + totalSteps);
        }
    }

    /** The rate for 0-based step {@code step}. */
    public double lr(long step) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        long span = totalSteps - warmupSteps;
        double t = span == 0 ? 1 : Math.min(1.0, (double) (step - warmupSteps) / span);
        return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * t));
    }
}
