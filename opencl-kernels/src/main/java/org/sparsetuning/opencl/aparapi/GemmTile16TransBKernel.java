package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * c[M, N] = a[M, K] · b[N, K]ᵀ: the transposed-B product, b stored the way torch's Linear stores a weight
 * ([out, in]), so a layer runs without transposing its weight on the host. Same tiling as
 * {@link GemmTile16Kernel}, but the b tile is read along b's rows (K, contiguous in memory, so neighbouring
 * items read neighbouring addresses) and stored transposed in local memory. Its row stride is 17, not 16,
 * so the transposed store does not hit the same local-memory bank 16 times over on a GPU.
 */
public final class GemmTile16TransBKernel extends Kernel {
    static final int TILE = 16;
    static final int PADDED = TILE + 1;

    float[] a = new float[1];
    float[] b = new float[1];
    float[] c = new float[1];
    int m;
    int n;
    int k;

    @Local final float[] tileA = new float[TILE * TILE];
    @Local final float[] tileB = new float[TILE * PADDED];

    @Override
    public void run() {
        int col = getGlobalId(0);
        int row = getGlobalId(1);
        int lc = getLocalId(0);
        int lr = getLocalId(1);
        // The b row (= c column) this item loads is picked by its local row, not its own column.
        int loadCol = getGroupId(0) * TILE + lr;
        float acc = 0f;
        for (int t = 0; t < k; t += TILE) {
            int ak = t + lc;
            tileA[lr * TILE + lc] = (row < m && ak < k) ? a[row * k + ak] : 0f;
            // tileB[kk][j] = b[groupCol + j][t + kk], loaded as b[loadCol][t + lc] into [lc][lr].
            tileB[lc * PADDED + lr] = (loadCol < n && ak < k) ? b[loadCol * k + ak] : 0f;
            localBarrier();
            for (int i = 0; i < TILE; i++) {
                acc += tileA[lr * TILE + i] * tileB[i * PADDED + lc];
            }
            localBarrier();
        }
        if (row < m && col < n) {
            c[row * n + col] = acc;
        }
    }
}
