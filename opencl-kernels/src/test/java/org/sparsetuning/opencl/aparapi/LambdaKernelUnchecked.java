package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;
import java.util.function.IntUnaryOperator;

/**
 * The same mistake as {@link LambdaKernel}, in its own class (Aparapi and our translation cache remember
 * failures per class), bound without the up-front translation so that Aparapi itself fails and falls back.
 * Guarded, so the Java fallback quietly produces a correct-looking result: the case that must not pass.
 */
public final class LambdaKernelUnchecked extends Kernel {
    final IntUnaryOperator f = v -> v * 2;
    float[] out = new float[8];

    @Override
    public void run() {
        int i = getGlobalId();
        if (i < out.length) {
            out[i] = f.applyAsInt(i);
        }
    }
}
