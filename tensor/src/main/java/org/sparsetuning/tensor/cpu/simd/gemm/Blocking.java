package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * Cache blocking of the GEMM loops (Zen 5: 48 KB L1d, 1 MB L2 per core). A K block of one wide B panel
 * (KC x 48 floats = 48 KB) is reused by every 8-row tile of the row block, and the row block of A (MC x KC)
 * by every B panel, so it should stay in L2. Measured here on a quiet machine (2 threads, ViT-B shapes at
 * batch 8): KC = 384 beat 256 by 3-8%, 512 and 768 were slower (768 by 12%); MC = 128 lost 8%, 512 tied.
 * Overridable with system properties {@code sparsetuning.gemm.kc} / {@code .mc} for tuning elsewhere.
 */
final class Blocking {
    /** Depth of one K block (K is cut into equal blocks of at most this). */
    static final int KC = Integer.getInteger("sparsetuning.gemm.kc", 384);
    /** Most rows of A packed at once (a multiple of the 8-row tile). */
    static final int MC = roundUp(Integer.getInteger("sparsetuning.gemm.mc", 256), MicroKernel8x3v.MR);
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
