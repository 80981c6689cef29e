package org.sparsetuning.data;

/**
 * One decoded example before transforms: {@code pixels} holds {@code channels × height × width} values in
 * [0, 1], channel-major (CHW), as read from the file (1 channel for grayscale, 3 for RGB); {@code origin}
 * says where it came from (a path, or a file and record number) for error messages and {@code predict}.
 */
public record Sample(float[] pixels, int channels, int height, int width, int label, String origin) {
    public Sample {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(origin + ": bad image size " + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException(origin + ": " + pixels.length + " pixel values for an image of "
                    + channels + "x" + height + "x" + width);
        }
    }
}
