package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * Resizes to a fixed height × width, or scales so the shorter side has a given length (the longer side
 * becomes {@code floor(size · long / short)}, torchvision's rule for an int size). Works on pixel values in
 * [0, 1] and clips its result to that range, as resizing an 8-bit image with PIL does.
 */
public final class Resize implements Transform {
    private final int height;
    private final int width;
    private final boolean shorterSide;
    private final Interpolation kind;

    private Resize(int height, int width, boolean shorterSide, Interpolation kind) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Resize needs positive sizes, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.shorterSide = shorterSide;
        this.kind = kind;
    }

    public static Resize to(int height, int width, Interpolation kind) {
        return new Resize(height, width, false, kind);
    }

    /** Scales the image so its shorter side is {@code size}, keeping the aspect ratio. */
    public static Resize shorterSide(int size, Interpolation kind) {
        return new Resize(size, size, true, kind);
    }

    @Override
    public Image apply(Image in, Generator rng) {
        if (!shorterSide) {
            return Resampler.resizeUnit(in, height, width, kind);
        }
        int h = in.height(), w = in.width();
        int shortSide = Math.min(h, w), longSide = Math.max(h, w);
        int newLong = (int) ((double) height * longSide / shortSide);
        return h <= w ? Resampler.resizeUnit(in, height, newLong, kind) : Resampler.resizeUnit(in, newLong, height, kind);
    }

    @Override
    public String describe() {
        return shorterSide ? "Resize(shorter side " + height + ", " + kind.label() + ")"
                : "Resize(" + height + "x" + width + ", " + kind.label() + ")";
    }
}
