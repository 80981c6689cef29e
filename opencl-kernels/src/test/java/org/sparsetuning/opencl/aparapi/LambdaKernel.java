package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;
import java.util.function.IntUnaryOperator;

/** Deliberately untranslatable: run() calls a lambda (invokeinterface), which Aparapi cannot turn into OpenCL. */
public final class LambdaKernel extends Kernel {
    final IntUnaryOperator f = v -> v + 1;
    float[] out = new float[8];

    @Override
    public void run() {
        int i = getGlobalId();
        out[i] = f.applyAsInt(i);
    }
}
