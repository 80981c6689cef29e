package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * out[i] = a[i] (+ or ×) b[i mod bLength]. With bLength = n both operands have the same shape; with a
 * smaller bLength, b is a trailing block of a's shape repeated over the leading dimensions: a bias row
 * [C] added to every token of [B, T, C], or a [T, C] position table added to every image of a batch.
 * One work-item per element; the range is padded to the work-group size, hence the guard.
 */
public final class BroadcastBinaryKernel extends Kernel {
    static final int ADD = 0;
    static final int MUL = 1;

    float[] a = new float[1];
    float[] b = new float[1];
    float[] out = new float[1];
    int n;
    int bLength;
    int op;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            float y = b[i % bLength];
            out[i] = op == MUL ? a[i] * y : a[i] + y;
        }
    }
}
