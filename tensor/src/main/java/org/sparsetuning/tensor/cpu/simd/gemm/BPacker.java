package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Packs panels of B (any strides) into a {@link PackedB}'s array. */
final class BPacker {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** k rows per pass of the scalar transposing copy (edge panels), so the rows written stay in L1. */
    private static final int K_STRIP = 16;

    private BPacker() {
    }

    /** Packs panels [p0, p1) of b into pb.data. */
    static void pack(MatrixView b, PackedB pb, int p0, int p1) {
        for (int p = p0; p < p1; p++) {
            int w = pb.width(p);
            int j0 = pb.col0(p);
            int cols = Math.min(w, b.cols - j0);
            int base = pb.base(p);
            if (b.rowMajor()) {
                packRows(b, pb.data, base, w, j0, cols);
            } else if (b.colMajor()) {
                packTransposed(b, pb.data, base, w, j0, cols);
            } else {
                packGeneric(b, pb.data, base, w, j0, cols);
            }
        }
    }

    /**
     * Packs rows [k0, k0 + kc) of panel p of b into dst from index 0 (element (k, j) at (k − k0)·w + j): the block
     * a thread packs just before multiplying it when B is packed as used.
     */
    static void packBlock(MatrixView b, PackedB pb, int p, int k0, int kc, float[] dst) {
        int w = pb.width(p);
        int j0 = pb.col0(p);
        int cols = Math.min(w, b.cols - j0);
        MatrixView rows = new MatrixView(b.data, b.offset + k0 * b.rowStride, kc, b.cols, b.rowStride, b.colStride);
        if (b.rowMajor()) {
            packRows(rows, dst, 0, w, j0, cols);
        } else if (b.colMajor()) {
            packTransposed(rows, dst, 0, w, j0, cols);
        } else {
            packGeneric(rows, dst, 0, w, j0, cols);
        }
    }

    /** Row-major B: each panel row is a contiguous slice of a B row. */
    private static void packRows(MatrixView b, float[] dst, int base, int w, int j0, int cols) {
        float[] src = b.data;
        for (int k = 0; k < b.rows; k++) {
            int s = b.offset + k * b.rowStride + j0;
            int d = base + k * w;
            if (cols == w) {
                // Whole vectors: faster than System.arraycopy for 48 floats.
                for (int j = 0; j < w; j += L) {
                    FloatVector.fromArray(S, src, s + j).intoArray(dst, d + j);
                }
            } else {
                System.arraycopy(src, s, dst, d, cols);
                java.util.Arrays.fill(dst, d + cols, d + w, 0f);
            }
        }
    }

    /**
     * B given as the transpose of a row-major [N, K] weight (unit stride down k): each B column is contiguous,
     * so the panel is a transpose: 16 x 16 blocks in registers ({@link Transpose16}); the last k rows (under 16)
     * with one gather per vector of a panel row (lane j reads column j0 + j at row k), which was 3x faster than
     * a strip-mined scalar transpose.
     */
    private static void packTransposed(MatrixView b, float[] dst, int base, int w, int j0, int cols) {
        float[] src = b.data;
        int kTotal = b.rows;
        int cs = b.colStride;
        if (cols == w && (long) (cols - 1) * cs < Integer.MAX_VALUE) {
            int[] index = new int[w];
            for (int j = 0; j < w; j++) {
                index[j] = j * cs;
            }
            int s = b.offset + j0 * cs;
            int k = 0;
            if (Transpose16.AVAILABLE) {
                // 16 columns of B at a time, down all of k: 16 sequential streams through 16 weight rows, which the
                // prefetchers follow. Across all w columns per 16 k (48 streams, 64 bytes from each) a weight
                // coming from memory packed at half the speed (1.1 against 0.54 ns an element, single-thread timing
                // of this loop alone; the GEMM table in BENCHMARKS.md shows the effect on whole products).
                int kBlocks = kTotal - kTotal % 16;
                for (int j = 0; j < w; j += 16) {
                    for (int kb = 0; kb < kBlocks; kb += 16) {
                        Transpose16.transpose(src, s + j * cs + kb, cs, dst, base + kb * w + j, w);
                    }
                }
                k = kBlocks;
            }
            for (; k < kTotal; k++) {
                int d = base + k * w;
                for (int j = 0; j < w; j += L) {
                    FloatVector.fromArray(S, src, s + k, index, j).intoArray(dst, d + j);
                }
            }
            return;
        }
        for (int k0 = 0; k0 < kTotal; k0 += K_STRIP) {
            int k1 = Math.min(kTotal, k0 + K_STRIP);
            for (int j = 0; j < cols; j++) {
                int s = b.offset + (j0 + j) * cs;
                int d = base + j;
                for (int k = k0; k < k1; k++) {
                    dst[d + k * w] = src[s + k];
                }
            }
            for (int j = cols; j < w; j++) {
                for (int k = k0; k < k1; k++) {
                    dst[base + j + k * w] = 0f;
                }
            }
        }
    }

    private static void packGeneric(MatrixView b, float[] dst, int base, int w, int j0, int cols) {
        for (int k = 0; k < b.rows; k++) {
            int s = b.offset + k * b.rowStride + j0 * b.colStride;
            int d = base + k * w;
            for (int j = 0; j < cols; j++) {
                dst[d + j] = b.data[s + j * b.colStride];
            }
            for (int j = cols; j < w; j++) {
                dst[d + j] = 0f;
            }
        }
    }
}
