package org.sparsetuning.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/** Optimisers against values computed by hand from torch.optim's update rules. */
class OptimizerTest {

    private static Variable param(float... values) {
        return Variable.parameter(Tensor.of(values, values.length));
    }

    @Test
    void adamwMatchesTheClosedFormOfItsFirstTwoSteps() {
        Variable p = param(1.0f, -2.0f);
        AdamW opt = new AdamW(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0.01);
        p.setGrad(Tensor.of(new float[] {0.5f, -1.0f}, 2));
        opt.step();
        // step 1: m̂ = g, v̂ = g², update = lr·sign(g) (up to eps); decay first: θ·(1 − lr·λ)
        assertEquals(1.0 * (1 - 0.001) - 0.1, p.data().get(0), 1e-6);
        assertEquals(-2.0 * (1 - 0.001) + 0.1, p.data().get(1), 1e-6);
        p.setGrad(Tensor.of(new float[] {0.25f, -1.0f}, 2));
        opt.step();
        double m = 0.9 * 0.1 * 0.5 + 0.1 * 0.25;
        double v = 0.999 * 0.001 * 0.25 + 0.001 * 0.0625;
        double mh = m / (1 - 0.81);
        double vh = v / (1 - 0.999 * 0.999);
        double expected = (0.999 - 0.1) * (1 - 0.001) - 0.1 * mh / (Math.sqrt(vh) + 1e-8);
        assertEquals(expected, p.data().get(0), 1e-6);
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        Variable p = param(1.0f);
        Sgd opt = new Sgd(List.of(p), 0.1, 0.9, 0.1);
        p.setGrad(Tensor.of(new float[] {2.0f}, 1));
        opt.step();
        double b1 = 2.0 + 0.1 * 1.0;
        double w1 = 1.0 - 0.1 * b1;
        assertEquals(w1, p.data().get(0), 1e-6);
        opt.step();
        double b2 = 0.9 * b1 + (2.0 + 0.1 * w1);
        assertEquals(w1 - 0.1 * b2, p.data().get(0), 1e-6);
    }

    /** Training loops run each step in a TensorScope; state made at the first step must survive its scope. */
    @Test
    void stateMadeInsideAStepScopeOutlivesIt() {
        Variable a = param(1.0f, -2.0f);
        Variable b = param(0.5f);
        AdamW adam = new AdamW(List.of(a), 0.1, 0.0);
        Sgd sgd = new Sgd(List.of(b), 0.1, 0.9, 0.0);
        for (int step = 0; step < 3; step++) {
            try (TensorScope scope = TensorScope.open()) {
                a.setGrad(Tensor.of(new float[] {1f, -1f}, 2));
                b.setGrad(Tensor.of(new float[] {1f}, 1));
                adam.step();
                sgd.step();
            }
        }
        // Adam with a constant gradient moves by lr·sign(g) each step; SGD's buffer grows 1, 1.9, 2.71.
        assertEquals(1.0 - 0.3, a.data().get(0), 1e-5);
        assertEquals(0.5 - 0.1 * (1 + 1.9 + 2.71), b.data().get(0), 1e-5);
        assertEquals(false, adam.state(0)[0].storage().isReleased());
    }

    @Test
    void adamwStateRoundTripsThroughLoadState() {
        Variable p = param(1.0f, -2.0f);
        AdamW first = new AdamW(List.of(p), 0.1, 0.01);
        p.setGrad(Tensor.of(new float[] {0.5f, -1.0f}, 2));
        first.step();
        Variable q = param(p.data().toFloatArray());
        AdamW second = new AdamW(List.of(q), 0.1, 0.01);
        second.loadState(0, first.state(0)[0], first.state(0)[1], first.steps());
        p.setGrad(Tensor.of(new float[] {0.25f, 0.75f}, 2));
        q.setGrad(Tensor.of(new float[] {0.25f, 0.75f}, 2));
        first.step();
        second.step();
        assertEquals(p.data().get(0), q.data().get(0));
        assertEquals(p.data().get(1), q.data().get(1));
        assertThrows(IllegalArgumentException.class, () -> second.loadState(0, Tensor.zeros(3), Tensor.zeros(3), 1));
    }

    @Test
    void parametersWithoutGradientAreLeftAlone() {
        Variable p = param(3.0f);
        new AdamW(List.of(p), 0.1, 0.5).step();
        assertEquals(3.0, p.data().get(0));
    }

    @Test
    void warmupThenCosine() {
        WarmupCosine s = new WarmupCosine(1.0, 0.0, 10, 110);
        assertEquals(0.1, s.lr(0), 1e-12);
        assertEquals(1.0, s.lr(9), 1e-12);
        assertEquals(1.0, s.lr(10), 1e-12);
        assertEquals(0.5, s.lr(60), 1e-12);
        assertEquals(0.0, s.lr(110), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1, 0, 20, 10));
    }

    @Test
    void badHyperParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(), -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(), 0.1, 1.0, 0.9, 1e-8, 0));
    }
}
