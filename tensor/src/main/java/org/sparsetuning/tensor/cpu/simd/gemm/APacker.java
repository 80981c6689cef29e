package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * Packs a block of A (rows [i0, i0 + mc), k in [k0, k0 + kc)) into micro-panels of 8 rows stored k-major:
 * row r of micro-panel q, step k, lands at {@code q * kc * 8 + k * 8 + r}. Rows past the matrix are zero, so
 * the kernel can always compute whole 8-row tiles. Used for the last, partial group of 8 rows, and for A with
 * no unit stride at all; otherwise the kernels read A in place.
 */
final class APacker {
    static final int MR = MicroKernel8x3v.MR;

    private APacker() {
    }

    static void pack(MatrixView a, int i0, int mc, int k0, int kc, float[] dst) {
        for (int q = 0; q * MR < mc; q++) {
            int rows = Math.min(MR, mc - q * MR);
            int d = q * kc * MR;
            int rowBase = i0 + q * MR;
            if (a.rowMajor()) {
                packRowMajor(a, rowBase, rows, k0, kc, dst, d);
            } else if (a.colMajor() && rows == MR) {
                packColMajor(a, rowBase, k0, kc, dst, d);
            } else {
                packGeneric(a, rowBase, rows, k0, kc, dst, d);
            }
        }
    }

    /** Unit stride along k: read each row sequentially, write with stride 8 (the panel stays in L1). */
    private static void packRowMajor(MatrixView a, int rowBase, int rows, int k0, int kc, float[] dst, int d) {
        float[] src = a.data;
        for (int r = 0; r < rows; r++) {
            int s = a.offset + (rowBase + r) * a.rowStride + k0;
            for (int k = 0; k < kc; k++) {
                dst[d + k * MR + r] = src[s + k];
            }
        }
        zeroRows(dst, d, rows, kc);
    }

    /** Unit stride along m (A is a transposed view): the 8 values of one k step are contiguous. */
    private static void packColMajor(MatrixView a, int rowBase, int k0, int kc, float[] dst, int d) {
        float[] src = a.data;
        int cs = a.colStride;
        int s = a.offset + rowBase * a.rowStride + k0 * cs;
        for (int k = 0; k < kc; k++) {
            System.arraycopy(src, s + k * cs, dst, d + k * MR, MR);
        }
    }

    private static void packGeneric(MatrixView a, int rowBase, int rows, int k0, int kc, float[] dst, int d) {
        for (int r = 0; r < rows; r++) {
            int s = a.offset + (rowBase + r) * a.rowStride + k0 * a.colStride;
            for (int k = 0; k < kc; k++) {
                dst[d + k * MR + r] = a.data[s + k * a.colStride];
            }
        }
        zeroRows(dst, d, rows, kc);
    }

    private static void zeroRows(float[] dst, int d, int rows, int kc) {
        if (rows == MR) {
            return;
        }
        for (int k = 0; k < kc; k++) {
            for (int r = rows; r < MR; r++) {
                dst[d + k * MR + r] = 0f;
            }
        }
    }
}
