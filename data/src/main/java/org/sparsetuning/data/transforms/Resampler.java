package org.sparsetuning.data.transforms;

/**
 * Separable image resampling with an {@link Interpolation} kernel: rows first, then columns. Pixel centres
 * sit at half-integers (the {@code align_corners=False} convention), so output pixel i samples the input at
 * {@code (i + 0.5) · in/out}. Accumulates in double.
 */
public final class Resampler {
    private Resampler() {
    }

    /**
     * {@link #resize} for pixel values in [0, 1] (decoded images, before normalisation), with the result
     * clipped to [0, 1] as PIL's 8-bit resampling clips it: bicubic overshoots near sharp edges.
     *
     * @throws IllegalArgumentException when an input value lies outside [0, 1] (a resize placed after Normalize)
     */
    public static Image resizeUnit(Image in, int outH, int outW, Interpolation kind) {
        for (float v : in.pixels()) {
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("expects pixel values in [0, 1], found " + v
                        + " (put resizing and cropping before Normalize)");
            }
        }
        Image out = resize(in, outH, outW, kind);
        if (out == in) {
            return in;
        }
        float[] px = out.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.min(1f, Math.max(0f, px[i]));
        }
        return out;
    }

    /** Contributions of input pixels to each output pixel along one axis. */
    private record Taps(int[] first, double[][] weights) {
    }

    public static Image resize(Image in, int outH, int outW, Interpolation kind) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize to " + outH + "x" + outW + ": sizes must be positive");
        }
        if (outH == in.height() && outW == in.width()) {
            return in;
        }
        Image rows = outW == in.width() ? in : horizontal(in, outW, taps(in.width(), outW, kind));
        return outH == in.height() ? rows : vertical(rows, outH, taps(in.height(), outH, kind));
    }

    /** The kernel taps for resampling {@code inSize} pixels to {@code outSize}, following PIL's scheme. */
    private static Taps taps(int inSize, int outSize, Interpolation kind) {
        double scale = (double) inSize / outSize;
        // Shrinking widens the kernel to cover every input pixel under the output pixel (antialiasing).
        double stretch = Math.max(scale, 1.0);
        double support = kind.support * stretch;
        int[] first = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), inSize);
            double[] w = new double[Math.max(hi - lo, 0)];
            double total = 0;
            for (int j = 0; j < w.length; j++) {
                w[j] = kind.weight((lo + j - center + 0.5) / stretch);
                total += w[j];
            }
            if (total != 0) {
                for (int j = 0; j < w.length; j++) {
                    w[j] /= total;
                }
            }
            first[i] = lo;
            weights[i] = w;
        }
        return new Taps(first, weights);
    }

    private static Image horizontal(Image in, int outW, Taps t) {
        int c = in.channels(), h = in.height(), w = in.width();
        float[] src = in.pixels();
        float[] dst = new float[c * h * outW];
        for (int row = 0; row < c * h; row++) {
            int s = row * w, d = row * outW;
            for (int x = 0; x < outW; x++) {
                double[] wt = t.weights[x];
                int base = s + t.first[x];
                double acc = 0;
                for (int k = 0; k < wt.length; k++) {
                    acc += wt[k] * src[base + k];
                }
                dst[d + x] = (float) acc;
            }
        }
        return new Image(dst, c, h, outW);
    }

    private static Image vertical(Image in, int outH, Taps t) {
        int c = in.channels(), h = in.height(), w = in.width();
        float[] src = in.pixels();
        float[] dst = new float[c * outH * w];
        double[] acc = new double[w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                java.util.Arrays.fill(acc, 0);
                double[] wt = t.weights[y];
                for (int k = 0; k < wt.length; k++) {
                    int s = (ch * h + t.first[y] + k) * w;
                    double wk = wt[k];
                    for (int x = 0; x < w; x++) {
                        acc[x] += wk * src[s + x];
                    }
                }
                int d = (ch * outH + y) * w;
                for (int x = 0; x < w; x++) {
                    dst[d + x] = (float) acc[x];
                }
            }
        }
        return new Image(dst, c, outH, w);
    }
}
