package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * B (K x N) rearranged into column panels the micro-kernels stream sequentially: first {@link #widePanels}
 * panels of {@link MicroKernel8x3v#NR} columns, then narrow panels of {@link MicroKernel8x1v#NR} columns for
 * the remainder (the last one zero-padded). Inside a panel of width w, element (k, j) sits at
 * {@code base(p) + k * w + j}, so a K block [k0, k0 + kc) of a panel starts at {@code base(p) + k0 * w}.
 */
final class PackedB {
    static final int WIDE = MicroKernel8x3v.NR;
    static final int NARROW = MicroKernel8x1v.NR;

    final int k;
    final int n;
    final int widePanels;
    final int panels;
    float[] data;

    PackedB(int k, int n) {
        this.k = k;
        this.n = n;
        this.widePanels = n / WIDE;
        this.panels = widePanels + (n - widePanels * WIDE + NARROW - 1) / NARROW;
    }

    /** Floats the packed form needs (zero-padded to whole narrow panels). */
    long length() {
        return (long) k * (widePanels * WIDE + (long) (panels - widePanels) * NARROW);
    }

    int width(int p) {
        return p < widePanels ? WIDE : NARROW;
    }

    int col0(int p) {
        return p < widePanels ? p * WIDE : widePanels * WIDE + (p - widePanels) * NARROW;
    }

    int base(int p) {
        return k * col0(p);
    }
}
