package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * Makes every image 3-channel: a grayscale image is copied into R, G and B (as PIL's {@code convert("RGB")}
 * does), an RGB image passes through; any other channel count is an error. Use it before normalising for a
 * model pretrained on RGB, and for folders that mix grayscale and colour files.
 */
public final class GrayToRgb implements Transform {
    @Override
    public Image apply(Image in, Generator rng) {
        if (in.channels() == 3) {
            return in;
        }
        if (in.channels() != 1) {
            throw new IllegalArgumentException("GrayToRgb expects 1 or 3 channels, got an image of " + in.sizeString());
        }
        int plane = in.height() * in.width();
        float[] dst = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(in.pixels(), 0, dst, c * plane, plane);
        }
        return new Image(dst, 3, in.height(), in.width());
    }

    @Override
    public String describe() {
        return "GrayToRgb";
    }
}
