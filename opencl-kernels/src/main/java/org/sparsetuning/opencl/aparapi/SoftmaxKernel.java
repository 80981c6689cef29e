package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * y = softmax(x) over each row of a row-major [rows, cols] matrix, one work-group of {@link #GROUP} items
 * per row. The items stride over the row, then combine their partial maximum (and later their partial sum)
 * by a tree reduction in local memory. Subtracting the row maximum before exp keeps every exponent ≤ 0,
 * so no row overflows whatever its values.
 *
 * <p>Run over a 1-D range of rows × GROUP items with local size GROUP: every item of a group takes part
 * in every barrier, so there is no padding and no early return.
 */
public final class SoftmaxKernel extends Kernel {
    /** Items per row: a power of two (the tree reduction halves it) and ≤ 256 (Aparapi's limit). */
    static final int GROUP = 128;

    float[] x = new float[1];
    float[] y = new float[1];
    int cols;

    @Local final float[] partial = new float[GROUP];

    @Override
    public void run() {
        int base = getGroupId() * cols;
        int lid = getLocalId();

        float max = -Float.MAX_VALUE;
        for (int j = lid; j < cols; j += GROUP) {
            max = max(max, x[base + j]);
        }
        partial[lid] = max;
        localBarrier();
        for (int s = GROUP / 2; s > 0; s >>= 1) {
            if (lid < s) {
                partial[lid] = max(partial[lid], partial[lid + s]);
            }
            localBarrier();
        }
        max = partial[0];
        // Everyone must have read the maximum before partial[] is reused for the sums.
        localBarrier();

        float sum = 0f;
        for (int j = lid; j < cols; j += GROUP) {
            float e = exp(x[base + j] - max);
            y[base + j] = e;
            sum += e;
        }
        partial[lid] = sum;
        localBarrier();
        for (int s = GROUP / 2; s > 0; s >>= 1) {
            if (lid < s) {
                partial[lid] += partial[lid + s];
            }
            localBarrier();
        }
        float inv = 1f / partial[0];
        // Each item rescales only the entries it wrote itself, so no barrier is needed before this.
        for (int j = lid; j < cols; j += GROUP) {
            y[base + j] *= inv;
        }
    }
}
