package org.sparsetuning.tensor.cpu.simd.gemm;

import java.util.Arrays;

/**
 * B (K x N) rearranged into column panels the micro-kernels stream sequentially. Panels are 3 vectors wide
 * ({@link MicroKernel8x3v}) where possible; the column tail goes to 2-vector panels ({@link MicroKernel8x2v})
 * or, only when N itself is at most one vector, a 1-vector panel. Inside a panel of width w, element (k, j)
 * sits at {@code base(p) + k * w + j}, so the K block [k0, k0 + kc) of a panel starts at
 * {@code base(p) + k0 * w}. Columns past N in the last panel are zero. (When packed as used, {@link #source}, a
 * thread's buffer holds one K block of one panel: element (k, j) at {@code (k - k0) * w + j}.)
 */
final class PackedB {
    static final int WIDE = MicroKernel8x3v.NR;
    static final int MEDIUM = MicroKernel8x2v.NR;
    static final int NARROW = MicroKernel8x1v.NR;

    final int k;
    final int n;
    final int panels;
    private final int[] col0;
    private final int[] width;
    /** The packed panels, or null when each K block of a panel is packed just before use (see {@link #source}). */
    float[] data;
    /**
     * Set instead of {@link #data} for B packed as it is used: each thread packs the K block of the panel it is
     * about to multiply into a buffer of its own, so the block is still in L1/L2 when the micro-kernel streams it,
     * where a whole B packed up front (several MB for a ViT weight) is back in L3 or memory by then.
     */
    BlockSource source;

    /** Where a K block of a panel comes from when B is packed as used. */
    @FunctionalInterface
    interface BlockSource {
        /** Packs rows [k0, k0 + kc) of panel p of pb into dst from index 0: element (k, j) at (k − k0)·w + j. */
        void packBlock(PackedB pb, int p, int k0, int kc, float[] dst);
    }

    PackedB(int k, int n) {
        this.k = k;
        this.n = n;
        this.width = plan(n);
        this.panels = width.length;
        this.col0 = new int[panels + 1];
        for (int p = 0; p < panels; p++) {
            col0[p + 1] = col0[p] + width[p];
        }
    }

    /**
     * Panel widths covering n columns with little padding and no 1-vector panel unless n fits one:
     * a tail of up to 16 columns joins the last wide panel and the pair is split into two 2-vector panels
     * (64 = 32 + 32), a tail of 17..32 is one 2-vector panel, a longer tail one padded wide panel.
     */
    static int[] plan(int n) {
        if (n <= NARROW) {
            return new int[] {NARROW};
        }
        int wide = n / WIDE;
        int rest = n - wide * WIDE;
        if (rest == 0) {
            return filled(wide, 0);
        }
        if (rest > MEDIUM) {
            return filled(wide + 1, 0);
        }
        if (rest > NARROW || wide == 0) {
            return filled(wide, 1);
        }
        return filled(wide - 1, 2);
    }

    private static int[] filled(int wide, int medium) {
        int[] w = new int[wide + medium];
        Arrays.fill(w, 0, wide, WIDE);
        Arrays.fill(w, wide, wide + medium, MEDIUM);
        return w;
    }

    /** Floats the packed form needs (zero-padded to whole panels). */
    long length() {
        return (long) k * col0[panels];
    }

    int width(int p) {
        return width[p];
    }

    int col0(int p) {
        return col0[p];
    }

    int base(int p) {
        return k * col0[p];
    }
}
