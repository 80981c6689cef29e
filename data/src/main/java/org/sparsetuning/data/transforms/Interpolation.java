package org.sparsetuning.data.transforms;

/**
 * Resampling filters, in the form PIL uses and torchvision reproduces on tensors with {@code antialias=True}:
 * a kernel of radius {@link #support} in input pixels when enlarging, widened by the scale factor when
 * shrinking (so every input pixel contributes: no aliasing), weights renormalised at the borders.
 */
public enum Interpolation {
    /** The triangle (tent) kernel. */
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            x = Math.abs(x);
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    },
    /**
     * Keys' cubic convolution kernel with a = −0.5, as PIL's BICUBIC (torch's non-antialiased bicubic uses
     * a = −0.75 instead; the two differ by up to a few percent of the pixel range near edges).
     */
    BICUBIC(2.0) {
        private static final double A = -0.5;

        @Override
        double weight(double x) {
            x = Math.abs(x);
            if (x < 1.0) {
                return ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
            }
            if (x < 2.0) {
                return (((x - 5.0) * x + 8.0) * x - 4.0) * A;
            }
            return 0.0;
        }
    };

    /** Radius of the kernel, in pixels of the (enlarged) input grid. */
    final double support;

    Interpolation(double support) {
        this.support = support;
    }

    /** Kernel value at distance {@code x}. */
    abstract double weight(double x);

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
