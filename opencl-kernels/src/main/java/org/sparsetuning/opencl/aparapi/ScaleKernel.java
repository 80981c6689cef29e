package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/** out[i] = x[i] · scale, e.g. attention's 1/√d or a gradient multiplied by a loss weight. */
public final class ScaleKernel extends Kernel {
    float[] x = new float[1];
    float[] out = new float[1];
    float scale;
    int n;

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < n) {
            out[i] = x[i] * scale;
        }
    }
}
