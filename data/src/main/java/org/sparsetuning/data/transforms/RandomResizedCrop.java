package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * Inception-style augmentation, with torchvision's rules: up to ten tries at a window covering a fraction
 * {@code scale} of the area with aspect ratio (width/height) drawn log-uniformly from {@code ratio}; if
 * none fits, the central window clamped to the ratio range; then a resize to the output size (on pixel values
 * in [0, 1], clipped to that range as in {@link Resize}).
 */
public final class RandomResizedCrop implements Transform {
    /** torchvision's defaults. */
    public static final double[] DEFAULT_SCALE = {0.08, 1.0};
    public static final double[] DEFAULT_RATIO = {3.0 / 4.0, 4.0 / 3.0};

    private final int height;
    private final int width;
    private final double[] scale;
    private final double[] ratio;
    private final Interpolation kind;

    public RandomResizedCrop(int height, int width, double[] scale, double[] ratio, Interpolation kind) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("RandomResizedCrop needs positive sizes, got " + height + "x" + width);
        }
        if (scale.length != 2 || !(0 < scale[0] && scale[0] <= scale[1])) {
            throw new IllegalArgumentException("RandomResizedCrop scale must be (lo, hi) with 0 < lo <= hi, got "
                    + java.util.Arrays.toString(scale));
        }
        if (ratio.length != 2 || !(0 < ratio[0] && ratio[0] <= ratio[1])) {
            throw new IllegalArgumentException("RandomResizedCrop ratio must be (lo, hi) with 0 < lo <= hi, got "
                    + java.util.Arrays.toString(ratio));
        }
        this.height = height;
        this.width = width;
        this.scale = scale.clone();
        this.ratio = ratio.clone();
        this.kind = kind;
    }

    public RandomResizedCrop(int size, Interpolation kind) {
        this(size, size, DEFAULT_SCALE, DEFAULT_RATIO, kind);
    }

    /** The window (top, left, height, width) chosen for an image of the given size. */
    public int[] window(int imageH, int imageW, Generator rng) {
        double area = (double) imageH * imageW;
        double logLo = Math.log(ratio[0]), logHi = Math.log(ratio[1]);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * Draws.uniform(rng, scale[0], scale[1]);
            double aspect = Math.exp(Draws.uniform(rng, logLo, logHi));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (0 < w && w <= imageW && 0 < h && h <= imageH) {
                int top = Draws.below(rng, imageH - h + 1);
                int left = Draws.below(rng, imageW - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) imageW / imageH;
        int w = imageW, h = imageH;
        if (inRatio < ratio[0]) {
            h = (int) Math.rint(w / ratio[0]);
        } else if (inRatio > ratio[1]) {
            w = (int) Math.rint(h * ratio[1]);
        }
        return new int[] {(imageH - h) / 2, (imageW - w) / 2, h, w};
    }

    @Override
    public Image apply(Image in, Generator rng) {
        int[] win = window(in.height(), in.width(), rng);
        return Resampler.resizeUnit(Crops.window(in, win[0], win[1], win[2], win[3]), height, width, kind);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    public String describe() {
        return "RandomResizedCrop(" + height + "x" + width + ", scale=[" + scale[0] + ", " + scale[1]
                + "], ratio=[" + String.format(java.util.Locale.ROOT, "%.4g, %.4g", ratio[0], ratio[1]) + "], "
                + kind.label() + ")";
    }
}
