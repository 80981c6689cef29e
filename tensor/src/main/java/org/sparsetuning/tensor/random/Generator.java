package org.sparsetuning.tensor.random;

/**
 * A seeded, counter-based random source: element i of a draw is a pure function of (seed, position), so
 * the numbers are the same whatever the thread count or the order elements are filled in. Each draw
 * advances the position by the number of elements it produced.
 */
public final class Generator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final long seed;
    private long position;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** Elements drawn so far; saving it with the seed lets a run resume the same stream. */
    public long position() {
        return position;
    }

    public void setPosition(long position) {
        this.position = position;
    }

    /** SplitMix64's finaliser over (seed, counter). */
    static long bits(long seed, long counter) {
        long z = seed + (counter + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    private long take(long n) {
        long start = position;
        position += n;
        return start;
    }

    public float[] uniform(int n) {
        return uniform(n, 0, 1);
    }

    /** Uniform in [lo, hi). */
    public float[] uniform(int n, double lo, double hi) {
        long base = take(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (lo + (hi - lo) * unit(bits(seed, 2 * (base + i))));
        }
        return out;
    }

    public float[] normal(int n) {
        return normal(n, 0, 1);
    }

    public float[] normal(int n, double mean, double std) {
        long base = take(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (mean + std * gaussian(base + i, 0));
        }
        return out;
    }

    /**
     * Normal(mean, std) restricted to [a, b] by rejection (as {@code nn.init.trunc_normal_} defines the
     * distribution); each element retries on its own sub-stream, so results stay order independent.
     */
    public float[] truncatedNormal(int n, double mean, double std, double a, double b) {
        if (!(a < b)) {
            throw new IllegalArgumentException("truncated normal needs a < b, got [" + a + ", " + b + "]");
        }
        long base = take(n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double v;
            int attempt = 0;
            do {
                v = mean + std * gaussian(base + i, attempt++);
                if (attempt > 10_000) {
                    throw new IllegalStateException("truncated normal: [" + a + ", " + b + "] has no mass for N(" + mean + ", " + std + ")");
                }
            } while (v < a || v > b);
            out[i] = (float) v;
        }
        return out;
    }

    /** Box–Muller on two uniforms derived from (slot, attempt). */
    private double gaussian(long slot, int attempt) {
        long key = slot * 1024 + attempt;
        double u1 = unit(bits(seed ^ 0x5DEECE66DL, 2 * key));
        double u2 = unit(bits(seed ^ 0x5DEECE66DL, 2 * key + 1));
        double r = Math.sqrt(-2.0 * Math.log(1.0 - u1));
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** A permutation of 0…n−1 (Fisher–Yates driven by this stream). */
    public int[] permutation(int n) {
        long base = take(n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floorMod(bits(seed, 2 * (base + i) + 1), (long) (i + 1));
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
