package org.sparsetuning.vit.sparsify;

/** How many non-CLS tokens a Token Sparsification step keeps: k = ⌈ρ·(N−1)⌉ (SPEC A.2 step 4). */
public final class KeepCount {
    private KeepCount() {
    }

    /**
     * ⌈ρ·candidates⌉ computed in double, exactly as Python's {@code math.ceil(rho * n)}. The product is
     * rounded to double first: 0.07·100 is 7.000000000000001 in double, so k = 8, the same as the reference
     * (while 0.7·10 is exactly 7.0). Computing it any other way (in float, or as a rounded decimal) can give 7
     * and select different tokens.
     */
    public static int of(double keepRate, int candidates) {
        if (!(keepRate > 0 && keepRate <= 1)) {
            throw new IllegalArgumentException("keep rate must be in (0, 1], got " + keepRate);
        }
        if (candidates < 0) {
            throw new IllegalArgumentException("candidate token count must be >= 0, got " + candidates);
        }
        return (int) Math.ceil(keepRate * candidates);
    }

    /** Sequence length (CLS included) after a step: 1 + k, plus the fused token unless fusion drops it. */
    public static int tokensAfter(double keepRate, int tokensBefore, Fusion fusion) {
        int candidates = tokensBefore - 1;
        int k = of(keepRate, candidates);
        if (k >= candidates) {
            return tokensBefore;
        }
        return 1 + k + (fusion == Fusion.DROP ? 0 : 1);
    }
}
