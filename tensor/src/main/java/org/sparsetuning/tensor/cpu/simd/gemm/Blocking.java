package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * Cache blocking of the GEMM loops (Zen 5: 48 KB L1d, 1 MB L2 per core). A K block of one wide B panel
 * (KC x 48 floats) is reused by every 8-row tile of the A block, and the packed A block (MC x KC) is reused
 * by every B panel, so the A block must stay in L2. Overridable with system properties
 * {@code sparsetuning.gemm.kc} / {@code .mc} for tuning on other machines.
 */
final class Blocking {
    /** Depth of one K block. */
    static final int KC = Integer.getInteger("sparsetuning.gemm.kc", 256);
    /** Most rows of A packed at once (a multiple of the 8-row tile). */
    static final int MC = roundUp(Integer.getInteger("sparsetuning.gemm.mc", 256), MicroKernel8x3v.MR);
    /** A task with at most this many B panels reads A in place instead of packing it. */
    static final int IN_PLACE_A_PANELS = Integer.getInteger("sparsetuning.gemm.inPlaceAPanels", 4);
    /** Below this many flops a product runs on the calling thread: forking would cost more than it saves. */
    static final long PARALLEL_FLOPS = 1L << 21;

    private Blocking() {
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
