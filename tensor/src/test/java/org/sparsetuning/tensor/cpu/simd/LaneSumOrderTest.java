package org.sparsetuning.tensor.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Tensor;
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

    @Test
    @SuppressWarnings("try")
    void softmaxAndRowSumsRepeatBitForBitWhileTheJitWarmsUp() {
        Tensor x = Tensor.randn(new Generator(1), 64, 4, 17, 17);
        float[] firstSoftmax = null;
        float[] firstSum = null;
        for (int it = 0; it < 400; it++) {
            try (TensorScope scope = TensorScope.open()) {
                float[] sm = x.softmax().toFloatArray();
                float[] rs = x.sum(3, false).toFloatArray();
                if (firstSoftmax == null) {
                    firstSoftmax = sm;
                    firstSum = rs;
                }
                assertArrayEquals(firstSoftmax, sm, "softmax, call " + it);
                assertArrayEquals(firstSum, rs, "row sums, call " + it);
            }
        }
    }
}
