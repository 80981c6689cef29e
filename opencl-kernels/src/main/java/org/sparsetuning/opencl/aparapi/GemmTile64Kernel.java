package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * c[M, N] = a[M, K] · b with register blocking: each 16 × 16 work-group computes a 64 × 64 block of c and
 * each item a 4 × 4 sub-block of it, so every value read from local memory feeds four multiply-adds
 * instead of one ({@link GemmTile16Kernel} does one output per item). b is [K, N], or [N, K] used
 * transposed when {@link #bTransposed} is 1.
 *
 * <p>An item owns rows {@code lr + 16·i} and columns {@code lc + 16·j} of the block (i, j = 0..3): strided
 * rather than adjacent, so at every step neighbouring items touch neighbouring columns of b and c. K is
 * walked in steps of 16; per step the group stages a 64 × 16 slab of a and a 16 × 64 slab of b in local
 * memory (8 KiB), each item loading four values of each, zero beyond the matrix edges.
 *
 * <p>Run over a 2-D range of (⌈N/64⌉·16, ⌈M/64⌉·16) items with local size 16 × 16.
 */
public final class GemmTile64Kernel extends Kernel {
    static final int BLOCK = 64;
    static final int STEP = 16;
    /** Row stride of the b slab: 65, so the transposed store into it does not keep hitting one bank. */
    static final int B_STRIDE = BLOCK + 1;

    float[] a = new float[1];
    float[] b = new float[1];
    float[] c = new float[1];
    int m;
    int n;
    int k;
    /** 0: b is [K, N]; 1: b is [N, K] and used transposed. */
    int bTransposed;

    @Local final float[] slabA = new float[BLOCK * STEP];
    @Local final float[] slabB = new float[STEP * B_STRIDE];

    @Override
    public void run() {
        int lc = getLocalId(0);
        int lr = getLocalId(1);
        int t = lr * 16 + lc;
        int row0 = getGroupId(1) * BLOCK;
        int col0 = getGroupId(0) * BLOCK;

        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;

        for (int k0 = 0; k0 < k; k0 += STEP) {
            for (int q = 0; q < 4; q++) {
                int idx = t + 256 * q;
                // a slab [64 rows][16 k]: consecutive items read consecutive k of one row.
                int ar = idx / STEP;
                int ak = idx % STEP;
                int gr = row0 + ar;
                int gk = k0 + ak;
                slabA[ar * STEP + ak] = (gr < m && gk < k) ? a[gr * k + gk] : 0f;
                if (bTransposed == 0) {
                    // b slab [16 k][64 cols] from b[K, N]: consecutive items read consecutive columns.
                    int bk = idx / BLOCK;
                    int bc = idx % BLOCK;
                    int gbk = k0 + bk;
                    int gc = col0 + bc;
                    slabB[bk * B_STRIDE + bc] = (gbk < k && gc < n) ? b[gbk * n + gc] : 0f;
                } else {
                    // From b[N, K]: consecutive items read consecutive k of one b row, stored transposed.
                    int bc = idx / STEP;
                    int bk = idx % STEP;
                    int gc = col0 + bc;
                    int gbk = k0 + bk;
                    slabB[bk * B_STRIDE + bc] = (gc < n && gbk < k) ? b[gc * k + gbk] : 0f;
                }
            }
            localBarrier();
            for (int kk = 0; kk < STEP; kk++) {
                float a0 = slabA[lr * STEP + kk];
                float a1 = slabA[(lr + 16) * STEP + kk];
                float a2 = slabA[(lr + 32) * STEP + kk];
                float a3 = slabA[(lr + 48) * STEP + kk];
                float b0 = slabB[kk * B_STRIDE + lc];
                float b1 = slabB[kk * B_STRIDE + lc + 16];
                float b2 = slabB[kk * B_STRIDE + lc + 32];
                float b3 = slabB[kk * B_STRIDE + lc + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            localBarrier();
        }
        store(row0 + lr, col0 + lc, c00, c01, c02, c03);
        store(row0 + lr + 16, col0 + lc, c10, c11, c12, c13);
        store(row0 + lr + 32, col0 + lc, c20, c21, c22, c23);
        store(row0 + lr + 48, col0 + lc, c30, c31, c32, c33);
    }

    /** Writes one row's four outputs (columns col, col + 16, col + 32, col + 48), skipping those outside c. */
    private void store(int row, int col, float v0, float v1, float v2, float v3) {
        if (row < m) {
            int base = row * n;
            if (col < n) {
                c[base + col] = v0;
            }
            if (col + 16 < n) {
                c[base + col + 16] = v1;
            }
            if (col + 32 < n) {
                c[base + col + 32] = v2;
            }
            if (col + 48 < n) {
                c[base + col + 48] = v3;
            }
        }
    }
}
