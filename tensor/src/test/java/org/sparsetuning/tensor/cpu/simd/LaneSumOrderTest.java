package org.sparsetuning.tensor.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Sums of lanes are added in lane order, so a kernel gives the same bits interpreted and compiled: before this,
 * softmax rows changed in their last bits once HotSpot compiled the kernel (after some 50 calls), and a resumed
 * training run drifted from an uninterrupted one.
 */
class LaneSumOrderTest {
    @Test
    void sumLanesAddsInLaneOrder() {
        float[] lanes = new float[VMath.L];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = i % 2 == 0 ? 1e8f : 1f + i;
        }
        float expected = lanes[0];
        for (int i = 1; i < lanes.length; i++) {
            expected += lanes[i];
        }
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(VMath.sumLanes(FloatVector.fromArray(VMath.S, lanes, 0))));
    }

    /** Rows shorter than a vector (10 classes), one vector, and longer with an overlapping end; both directions. */
    @Test
    @SuppressWarnings("try")
    void softmaxAndRowSumsRepeatBitForBitWhileTheJitWarmsUp() {
        Backend cpu = Backends.cpu();
        for (int width : new int[] {10, 16, 17}) {
            Tensor x = Tensor.randn(new Generator(1), 16, 4, 17, width);
            Tensor dy = Tensor.randn(new Generator(2), 16, 4, 17, width);
            float[][] first = null;
            for (int it = 0; it < 400; it++) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor y = x.softmax();
                    Tensor logY = Ops.empty(DType.F32, x.shape(), cpu);
                    cpu.softmax(x, true, logY);
                    Tensor dx = Ops.empty(DType.F32, x.shape(), cpu);
                    cpu.softmaxBackward(y, dy, false, dx);
                    Tensor dLog = Ops.empty(DType.F32, x.shape(), cpu);
                    cpu.softmaxBackward(logY, dy, true, dLog);
                    float[][] now = {y.toFloatArray(), logY.toFloatArray(), dx.toFloatArray(), dLog.toFloatArray(),
                        x.sum(3, false).toFloatArray()};
                    if (first == null) {
                        first = now;
                    }
                    String[] names = {"softmax", "log-softmax", "softmax backward", "log-softmax backward", "row sums"};
                    for (int i = 0; i < now.length; i++) {
                        assertArrayEquals(first[i], now[i], names[i] + " of width " + width + ", call " + it);
                    }
                }
            }
        }
    }
}
