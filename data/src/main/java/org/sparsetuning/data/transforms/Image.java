package org.sparsetuning.data.transforms;

import org.sparsetuning.data.Sample;

/**
 * Pixels on their way through a {@link TransformPipeline}: {@code channels × height × width} floats,
 * channel-major (CHW). Unlike a {@link Sample} the values need not lie in [0, 1] (normalisation moves them).
 */
public record Image(float[] pixels, int channels, int height, int width) {
    public Image {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad image size " + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixel values for an image of "
                    + channels + "x" + height + "x" + width);
        }
    }

    public static Image of(Sample s) {
        return new Image(s.pixels(), s.channels(), s.height(), s.width());
    }

    /** The value at (c, y, x). */
    public float at(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }

    /** "CxHxW", for messages and logs. */
    public String sizeString() {
        return channels + "x" + height + "x" + width;
    }
}
