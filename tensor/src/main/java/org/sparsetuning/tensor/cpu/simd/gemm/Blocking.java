package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * Cache blocking of the GEMM loops (Zen 4: 32 KB L1d, Zen 5: 48 KB; 1 MB L2 per core on both). K is cut into equal blocks of at most
 * KC; a C tile is stored after each block and read back for the next, so deep blocks save memory traffic that
 * grows with M x N x (K / KC). With B packed whole, one 8-row tile of A (8 x KC floats, 32 KB) is reused across a
 * group of B panels that together fill about half an L2; with B packed as used, one K block of one panel (KC x 48
 * floats, 192 KB) is reused by every row. Against the previous blocking (KC = 384, rows in MC blocks for every
 * product): 2-7% faster on ViT-B's batch-8 shapes with B packed (scratch timings of the loop nest, 2 threads);
 * at batch 1, B packed as used, 1024 and 384 were within the noise (BENCHMARKS.md). Overridable with system properties
 * {@code sparsetuning.gemm.kc}, {@code .mc} and {@code .groupBytes} for tuning elsewhere.
 */
final class Blocking {
    /** Depth of one K block (K is cut into equal blocks of at most this). */
    static final int KC = Integer.getInteger("sparsetuning.gemm.kc", 1024);
    /**
     * Bytes of B panels one group spans at full K-block depth: half an L2, leaving the other half to the A tiles and
     * C rows that pass through it (L2 is inclusive of L1). A whole L2 (1 MB, the earlier default, tuned on Zen 4)
     * spilled part of each group to L3; on Zen 5, whose FMAs are twice as wide and so need B twice as fast, the
     * batch-8 ViT-B products with packed weights ran 7-18% faster at 512 KB than at 1 MB (five alternated pairs of
     * processes; 256, 384 and 640 KB were no better than 512).
     */
    static final int GROUP_BYTES = Integer.getInteger("sparsetuning.gemm.groupBytes", 1 << 19);
    /**
     * Rows per block (a multiple of the 8-row tile): the unit of a large product's row split across threads, the
     * most rows of A packed at once when A has no unit stride, and (twice it) the most rows for which a changing B
     * is packed as used.
     */
    static final int MC = roundUp(Integer.getInteger("sparsetuning.gemm.mc", 256), MicroKernel8x3v.MR);
    /** Below this many flops a product runs on the calling thread: forking would cost more than it saves. */
    static final long PARALLEL_FLOPS = 1L << 21;

    private Blocking() {
    }

    /** Depth of each of the equal K blocks that cut k (at most KC; equal, so there is no thin last block). */
    static int kBlockDepth(int k) {
        return ceilDiv(k, ceilDiv(k, KC));
    }

    /** Panels per group for K blocks of depth kc: as many wide panels as GROUP_BYTES holds, at least one. */
    static int panelGroup(int kc) {
        return Math.max(1, GROUP_BYTES / (kc * MicroKernel8x3v.NR * Float.BYTES));
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
