package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * c[M, N] = a[M, K] · b[K, N], all row-major, one work-item per element of c in 16 × 16 work-groups. Each
 * group walks K in steps of 16, staging a 16 × 16 tile of a and of b in local memory so every global value
 * is read once per group instead of 16 times. Out-of-range tile entries are loaded as 0, so M, N and K need
 * not be multiples of 16; the global range is padded up to them and the store is guarded.
 *
 * <p>Run over a 2-D range: dimension 0 = columns (n, padded to 16), dimension 1 = rows (m, padded), local
 * size 16 × 16 = 256 items, the most Aparapi allows. Host code sets the fields, see {@link GemmOp}.
 */
public final class GemmTile16Kernel extends Kernel {
    static final int TILE = 16;

    float[] a = new float[1];
    float[] b = new float[1];
    float[] c = new float[1];
    int m;
    int n;
    int k;

    @Local final float[] tileA = new float[TILE * TILE];
    @Local final float[] tileB = new float[TILE * TILE];

    @Override
    public void run() {
        int col = getGlobalId(0);
        int row = getGlobalId(1);
        int lc = getLocalId(0);
        int lr = getLocalId(1);
        float acc = 0f;
        for (int t = 0; t < k; t += TILE) {
            // This item loads a[row][t + lc] and b[t + lr][col]: neighbouring items read neighbouring columns.
            int ak = t + lc;
            tileA[lr * TILE + lc] = (row < m && ak < k) ? a[row * k + ak] : 0f;
            int bk = t + lr;
            tileB[lr * TILE + lc] = (bk < k && col < n) ? b[bk * n + col] : 0f;
            localBarrier();
            for (int i = 0; i < TILE; i++) {
                acc += tileA[lr * TILE + i] * tileB[i * TILE + lc];
            }
            // Nobody may overwrite the tiles for step t + 16 while another item still reads step t.
            localBarrier();
        }
        if (row < m && col < n) {
            c[row * n + col] = acc;
        }
    }
}
