package org.sparsetuning.data;

/**
 * One decoded example before transforms, values in [0, 1] as read from the file (1 channel for grayscale, 3 for
 * RGB); {@code origin} says where it came from (a path, or a file and record number) for error messages and
 * {@code predict}.
 *
 * <p>An image has {@code frames == 0} and {@code pixels} in CHW order. A clip has {@code frames >= 1} and
 * {@code pixels} in C×T×H×W order (channel outermost, as the video model's input [B, C, T, H, W]).
 */
public record Sample(float[] pixels, int channels, int frames, int height, int width, int label, String origin) {
    public Sample {
        if (channels <= 0 || height <= 0 || width <= 0 || frames < 0) {
            throw new IllegalArgumentException(origin + ": bad " + (frames == 0 ? "image" : "clip") + " size "
                    + sizeString(channels, frames, height, width));
        }
        long expected = (long) channels * Math.max(1, frames) * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(origin + ": " + pixels.length + " pixel values for "
                    + (frames == 0 ? "an image" : "a clip") + " of " + sizeString(channels, frames, height, width));
        }
    }

    /** An image (CHW). */
    public Sample(float[] pixels, int channels, int height, int width, int label, String origin) {
        this(pixels, channels, 0, height, width, label, origin);
    }

    public boolean isClip() {
        return frames > 0;
    }

    /** The same example with another label (class filters renumber labels). */
    public Sample withLabel(int newLabel) {
        return new Sample(pixels, channels, frames, height, width, newLabel, origin);
    }

    /**
     * Frame {@code t} of a clip as an image (CHW), copied out of the C×T×H×W layout.
     *
     * @throws IllegalStateException on an image
     */
    public Sample frame(int t) {
        if (!isClip()) {
            throw new IllegalStateException(origin + " is an image, not a clip");
        }
        java.util.Objects.checkIndex(t, frames);
        int plane = height * width;
        float[] out = new float[channels * plane];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(pixels, (c * frames + t) * plane, out, c * plane, plane);
        }
        return new Sample(out, channels, height, width, label, origin + " [frame " + t + "]");
    }

    static String sizeString(int channels, int frames, int height, int width) {
        return frames == 0 ? channels + "x" + height + "x" + width : channels + "x" + frames + "x" + height + "x" + width;
    }
}
