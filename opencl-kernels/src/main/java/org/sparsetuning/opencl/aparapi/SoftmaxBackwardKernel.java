package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * dx = y ⊙ (dy − Σ_j y_j·dy_j) per row: the softmax gradient from its output y and the upstream gradient
 * dy, [rows, cols] row-major. Same layout as {@link SoftmaxKernel}: one group of {@link #GROUP} items per
 * row, the row's dot product by a tree reduction in local memory.
 */
public final class SoftmaxBackwardKernel extends Kernel {
    static final int GROUP = 128;

    float[] y = new float[1];
    float[] dy = new float[1];
    float[] dx = new float[1];
    int cols;

    @Local final float[] partial = new float[GROUP];

    @Override
    public void run() {
        int base = getGroupId() * cols;
        int lid = getLocalId();

        float dot = 0f;
        for (int j = lid; j < cols; j += GROUP) {
            dot += y[base + j] * dy[base + j];
        }
        partial[lid] = dot;
        localBarrier();
        for (int s = GROUP / 2; s > 0; s >>= 1) {
            if (lid < s) {
                partial[lid] += partial[lid + s];
            }
            localBarrier();
        }
        dot = partial[0];
        for (int j = lid; j < cols; j += GROUP) {
            dx[base + j] = y[base + j] * (dy[base + j] - dot);
        }
    }
}
