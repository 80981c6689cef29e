package org.sparsetuning.data.transforms;

/**
 * One example after its transforms, as the model takes it: an image ({@code frames == 0}, CHW) or a clip
 * ({@code frames >= 1}, C×T×H×W).
 */
public record ModelInput(float[] pixels, int channels, int frames, int height, int width) {
    public ModelInput {
        if (pixels.length != (long) channels * Math.max(1, frames) * height * width) {
            throw new IllegalArgumentException(pixels.length + " values for an input of " + shape(channels, frames, height, width));
        }
    }

    static ModelInput of(Image img) {
        return new ModelInput(img.pixels(), img.channels(), 0, img.height(), img.width());
    }

    /** Whether {@code other} has the same shape (so both fit in one batch). */
    public boolean sameShape(ModelInput other) {
        return channels == other.channels && frames == other.frames && height == other.height && width == other.width;
    }

    /** "CxHxW" or "CxTxHxW", for messages. */
    public String sizeString() {
        return shape(channels, frames, height, width);
    }

    private static String shape(int c, int t, int h, int w) {
        return t == 0 ? c + "x" + h + "x" + w : c + "x" + t + "x" + h + "x" + w;
    }
}
