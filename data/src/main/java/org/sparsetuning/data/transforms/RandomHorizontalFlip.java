package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/** Mirrors the image left–right with probability {@code p}. */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    public RandomHorizontalFlip() {
        this(0.5);
    }

    @Override
    public Image apply(Image in, Generator rng) {
        return Draws.coin(rng, p) ? flip(in) : in;
    }

    static Image flip(Image in) {
        int w = in.width();
        float[] src = in.pixels();
        float[] dst = new float[src.length];
        for (int row = 0; row < in.channels() * in.height(); row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                dst[base + x] = src[base + w - 1 - x];
            }
        }
        return new Image(dst, in.channels(), in.height(), w);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    public String describe() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
