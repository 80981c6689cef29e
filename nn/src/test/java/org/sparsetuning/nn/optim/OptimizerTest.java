package org.sparsetuning.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

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
