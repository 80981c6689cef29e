package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.sparsetuning.tensor.storage.FloatStorage;

/**
 * A frozen weight held only as packed B panels: the {@link FloatStorage.Arrangement} that replaces the
 * weight's plain array, so the packing costs no second copy (the panels are the weight; for the ViT widths,
 * multiples of 48, not even padding). It serves the matrix it was packed from (the forward product's
 * x·Wᵀ) directly, and that matrix's transpose (backward's g·W) by a repacking per call from the panels.
 * Any other reader of the storage unpacks it back to the plain array.
 */
final class PackedWeight implements FloatStorage.Arrangement {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** The packed matrix: element (k, j) was at storage offset {@code offset + k * rowStride + j * colStride}. */
    final int offset;
    final int rowStride;
    final int colStride;
    final PackedB packed;

    PackedWeight(MatrixView from, PackedB packed) {
        this.offset = from.offset;
        this.rowStride = from.rowStride;
        this.colStride = from.colStride;
        this.packed = packed;
    }

    /**
     * Whether b is a whole storage of {@code length} elements seen as one matrix without gaps (row- or
     * column-major), the only views whose packing can stand in for the storage.
     */
    static boolean coversStorage(MatrixView b, long length) {
        if ((long) b.rows * b.cols != length || b.offset != 0) {
            return false;
        }
        boolean rowMajor = b.colStride == 1 && (b.rows == 1 || b.rowStride == b.cols);
        boolean colMajor = b.rowStride == 1 && (b.cols == 1 || b.colStride == b.rows);
        return rowMajor || colMajor;
    }

    /** Whether b is the packed matrix itself. */
    boolean serves(MatrixView b) {
        return b.offset == offset && b.rows == packed.k && b.cols == packed.n
                && b.rowStride == rowStride && b.colStride == colStride;
    }

    /** Whether b is the transpose of the packed matrix. */
    boolean servesTransposeOf(MatrixView b) {
        return b.offset == offset && b.rows == packed.n && b.cols == packed.k
                && b.rowStride == colStride && b.colStride == rowStride;
    }

    @Override
    public long floats() {
        return packed.data.length;
    }

    @Override
    public void unpackInto(float[] dst) {
        float[] src = packed.data;
        for (int p = 0; p < packed.panels; p++) {
            int w = packed.width(p);
            int j0 = packed.col0(p);
            int cols = Math.min(w, packed.n - j0);
            int base = packed.base(p);
            for (int k = 0; k < packed.k; k++) {
                int d = offset + k * rowStride + j0 * colStride;
                int s = base + k * w;
                for (int j = 0; j < cols; j++) {
                    dst[d + j * colStride] = src[s + j];
                }
            }
        }
    }

    /**
     * Packs panels [q0, q1) of the transpose of the packed matrix into dst (a PackedB of n x k). Row r of the
     * transpose is column r of the packed matrix, which sits in one source panel with a stride of that panel's
     * width: 16 x 16 blocks are transposed in registers ({@link Transpose16}), the rest gathered.
     */
    void packTransposeInto(PackedB dst, int q0, int q1) {
        for (int q = q0; q < q1; q++) {
            packTransposed(dst, q, 0, dst.k, dst.data, dst.base(q));
        }
    }

    /**
     * Packs rows [k0, k0 + kc) of panel q of the transpose of the packed matrix into dst from index 0 (a
     * {@link PackedB.BlockSource}: the transpose packed as used).
     */
    void packTransposeBlock(PackedB dst, int q, int k0, int kc, float[] out) {
        packTransposed(dst, q, k0, k0 + kc, out, 0);
    }

    /** Offsets c·wp for c &lt; w: one column of a source panel of width wp, read as a destination row. */
    private static int[] gatherIndex(int w, int wp) {
        int[] index = new int[w];
        for (int c = 0; c < w; c++) {
            index[c] = c * wp;
        }
        return index;
    }

    /**
     * Rows [rLo, rHi) of panel q of the transpose (a PackedB of n x k), element (r, c) written at
     * out[outBase + (r − rLo)·w + c]. Row r of the transpose is column r of the packed matrix, which sits in one
     * source panel with a stride of that panel's width: 16 x 16 blocks are transposed in registers
     * ({@link Transpose16}), the rest gathered.
     */
    private void packTransposed(PackedB dst, int q, int rLo, int rHi, float[] out, int outBase) {
        float[] src = packed.data;
        int w = dst.width(q);
        int j0 = dst.col0(q);
        int cols = Math.min(w, dst.n - j0);
        int dBase = outBase - rLo * w;
        for (int p = 0; p < packed.panels; p++) {
            int wp = packed.width(p);
            int r0 = Math.max(packed.col0(p), rLo);
            int r1 = Math.min(Math.min(packed.col0(p) + wp, packed.n), rHi);
            if (r0 >= r1) {
                continue;
            }
            // Source element (row j0 + c, column r) of the packed matrix.
            int sBase = packed.base(p) + j0 * wp - packed.col0(p);
            if (cols == w) {
                int r = r0;
                if (Transpose16.AVAILABLE) {
                    // 16 x 16 blocks: source rows j0 + c (stride wp), columns r..r+15, are contiguous. 16 source rows
                    // are finished before the next 16 are read, so the source is read front to back: twice as fast
                    // from L3 as visiting every row once per 16 columns (0.48 against 0.96 ns a float), 0.73 against
                    // 0.82-0.90 from memory (single-thread timings of this loop alone, a 3072 x 768 weight).
                    int rBlocks = (r1 - r) / 16 * 16;
                    for (int c = 0; c < w; c += 16) {
                        for (int rb = r; rb < r + rBlocks; rb += 16) {
                            Transpose16.transpose(src, sBase + rb + c * wp, wp, out, dBase + rb * w + c, w);
                        }
                    }
                    r += rBlocks;
                }
                // Rows left over from the 16 x 16 blocks are gathered (the index is only built when there are some:
                // this runs for every K block of every panel when the transpose is packed as used).
                int[] index = r < r1 ? gatherIndex(w, wp) : null;
                for (; r < r1; r++) {
                    int d = dBase + r * w;
                    for (int c = 0; c < w; c += L) {
                        FloatVector.fromArray(S, src, sBase + r, index, c).intoArray(out, d + c);
                    }
                }
            } else {
                for (int r = r0; r < r1; r++) {
                    int d = dBase + r * w;
                    for (int c = 0; c < cols; c++) {
                        out[d + c] = src[sBase + r + c * wp];
                    }
                    for (int c = cols; c < w; c++) {
                        out[d + c] = 0f;
                    }
                }
            }
        }
    }
}
