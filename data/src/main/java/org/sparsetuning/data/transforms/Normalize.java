package org.sparsetuning.data.transforms;

import java.util.Arrays;
import org.sparsetuning.tensor.random.Generator;

/**
 * {@code (x − mean[c]) / std[c]} per channel, with the statistics the checkpoint was pretrained with. When
 * all channels share one mean and one std (a single value, or {@link #HALF}) they apply to any channel
 * count, grayscale included; otherwise there must be one per channel of the image.
 */
public final class Normalize implements Transform {
    /** Google's ViT checkpoints (and timm's {@code vit_*_augreg}): inputs scaled to [−1, 1]. */
    public static final Normalize HALF = new Normalize("half", new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
    /** ImageNet statistics, as timm's DeiT and most torchvision models use. */
    public static final Normalize IMAGENET = new Normalize("imagenet",
            new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

    private final String name;
    private final double[] mean;
    private final double[] std;

    private Normalize(String name, double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many means as stds (at least one), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("Normalize std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        this.name = name;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    public Normalize(double[] mean, double[] std) {
        this(null, mean, std);
    }

    /** A preset by name ({@code half} or {@code imagenet}), for command lines and configs. */
    public static Normalize preset(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "half":
                return HALF;
            case "imagenet":
                return IMAGENET;
            default:
                throw new IllegalArgumentException("unknown normalisation preset '" + name + "' (expected half or imagenet)");
        }
    }

    /** Whether one (mean, std) pair serves every channel. */
    public boolean uniform() {
        for (int i = 1; i < mean.length; i++) {
            if (mean[i] != mean[0] || std[i] != std[0]) {
                return false;
            }
        }
        return true;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    @Override
    public Image apply(Image in, Generator rng) {
        int c = in.channels();
        if (!uniform() && mean.length != c) {
            throw new IllegalArgumentException(describe() + " has " + mean.length + " channel statistics but the image is "
                    + in.sizeString() + (c == 1 ? " (add GrayToRgb before it)" : ""));
        }
        int plane = in.height() * in.width();
        float[] src = in.pixels();
        float[] dst = new float[src.length];
        for (int ch = 0; ch < c; ch++) {
            int k = uniform() ? 0 : ch;
            double m = mean[k], inv = 1.0 / std[k];
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                dst[i] = (float) ((src[i] - m) * inv);
            }
        }
        return new Image(dst, c, in.height(), in.width());
    }

    @Override
    public String describe() {
        return "Normalize(" + (name != null ? name + ": " : "") + "mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + ")";
    }
}
