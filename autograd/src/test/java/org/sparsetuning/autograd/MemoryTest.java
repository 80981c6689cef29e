package org.sparsetuning.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * What the graph keeps alive. F64 throughout, so every kernel is the reference backend's and allocates
 * nothing but its outputs; the byte counts below are worked out by hand from the shapes.
 */
class MemoryTest {
    private static final Generator RNG = new Generator(99);
    private static final int F64 = 8;

    private static Tensor randn(int... shape) {
        return Tensor.randn(RNG, shape).to(DType.F64);
    }

    private static long bytes(Tensor t) {
        return t.storage().bytes();
    }

    @Test
    void linearWithAFrozenWeightDoesNotKeepItsInput() {
        Tensor w = randn(6, 4);
        Tensor b = randn(6);
        for (boolean trainable : new boolean[] {false, true}) {
            Variable weight = Variable.parameter(w).requiresGrad(trainable);
            Variable bias = Variable.parameter(b);
            Variable x;
            Variable y;
            try (TensorScope scope = TensorScope.open()) {
                x = Variable.parameter(randn(5, 4)).mul(2.0); // an activation from an earlier layer
                y = F.linear(x, weight, bias);
                // dx needs W, which exists anyway; dW would need x, which only a trainable weight pays for.
                assertEquals(trainable ? bytes(x.data()) + bytes(w) : bytes(w), y.gradFn().savedBytes());
            }
            assertEquals(trainable, !x.data().storage().isReleased(), "input kept alive iff the weight trains");
        }
    }

    @Test
    void linearOnAConstantInputWithAFrozenWeightSavesNothing() {
        Tensor x = randn(5, 4);
        Tensor w = randn(6, 4);
        Variable bias = Variable.parameter(randn(6)); // bias-only tuning: db = Σ g needs nothing saved
        Variable frozen = F.linear(Variable.constant(x), Variable.constant(w), bias);
        assertEquals(0, frozen.gradFn().savedBytes());
        Variable trainable = F.linear(Variable.constant(x), Variable.parameter(w), bias);
        assertEquals(bytes(x), trainable.gradFn().savedBytes());
    }

    @Test
    void savedTensorsAreReleasedAfterBackward() {
        Variable x = Variable.parameter(randn(3, 4));
        Variable w = Variable.parameter(randn(3, 4));
        Variable e;
        Variable m;
        try (TensorScope scope = TensorScope.open()) {
            e = x.exp();
            m = e.mul(w);
            Variable loss = m.sum();
            assertEquals(bytes(e.data()), e.gradFn().savedBytes()); // exp keeps its output
            assertEquals(bytes(e.data()) + bytes(w.data()), m.gradFn().savedBytes());
            loss.backward();
            assertEquals(0, e.gradFn().savedBytes());
            assertEquals(0, m.gradFn().savedBytes());
        }
        assertTrue(e.data().storage().isReleased(), "exp's saved output outlived the scope and the backward pass");
        assertFalse(x.grad().storage().isReleased());
    }

    @Test
    void onlyLeafGradientsOutliveAScopedStep() {
        Variable w1 = Variable.parameter(randn(8, 6));
        Variable w2 = Variable.parameter(randn(3, 8));
        Tensor x = randn(5, 6);
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            try (TensorScope scope = TensorScope.open()) {
                Variable h = F.linear(Variable.constant(x), w1, null).gelu();
                F.linear(h, w2, null).softmax().mul(h.mean(1, true)).sum().backward();
            }
            assertEquals(bytes(w1.grad()) + bytes(w2.grad()), m.liveBytes());
            assertEquals((8 * 6 + 3 * 8) * F64, m.liveBytes());
        }
    }

    @Test
    void peakOfASmallMlpStepMatchesTheHandCount() {
        int batch = 4;
        int in = 3;
        int hidden = 5;
        int out = 2;
        Variable w1 = Variable.parameter(randn(hidden, in));
        Variable b1 = Variable.parameter(randn(hidden));
        Variable w2 = Variable.parameter(randn(out, hidden));
        Variable b2 = Variable.parameter(randn(out));
        Variable x = Variable.constant(randn(batch, in));
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            try (TensorScope scope = TensorScope.open()) {
                F.linear(F.linear(x, w1, b1).relu(), w2, b2).sum().backward();
            }
            // Forward, all alive until the scope closes: h and relu(h) [B,H], y [B,O], the sum [1].
            long forward = 2L * batch * hidden + batch * out + 1;
            // Leaf gradients, which stay.
            long grads = hidden * in + hidden + out * hidden + out;
            // Backward: the seed [1] goes after the sum's node; g_y [B,O] after the second linear's; then
            // g_relu [B,H] and dRelu [B,H] coexist, as do, in the last node, dRelu, dW1 [H,I] and db1 [H].
            long afterSecondLinear = forward + batch * hidden + out * hidden + out; // g_relu + dW2 + db2
            long peak = Math.max(afterSecondLinear + batch * hidden, // relu's node: + dRelu
                    Math.max(forward + batch * out + batch * hidden + out * hidden + out, // linear2 node, g_y still alive
                            forward + batch * hidden + out * hidden + out + hidden * in + hidden)); // linear1 node
            assertEquals(peak * F64, m.peakBytes());
            assertEquals(grads * F64, m.liveBytes());
        }
    }
}
