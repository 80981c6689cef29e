package org.sparsetuning.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Tensor;

class GraphTest {
    private static Variable param(double... v) {
        return Variable.parameter(Tensor.of(v, v.length));
    }

    @Test
    void sharedLeafAccumulatesOverEveryPath() {
        Variable x = param(1, -2, 3);
        x.mul(x).add(x).sum().backward(); // d(x² + x) = 2x + 1
        assertArrayEquals(new double[] {3, -3, 7}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void sharedIntermediateAccumulatesBeforeItsNodeRuns() {
        Variable x = param(0.5, -1);
        Variable e = x.exp();
        e.mul(e).add(e.mul(3.0)).sum().backward(); // d(e^{2x} + 3e^x) = 2e^{2x} + 3e^x
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 2; i++) {
            double xi = i == 0 ? 0.5 : -1;
            assertEquals(2 * Math.exp(2 * xi) + 3 * Math.exp(xi), g[i], 1e-12);
        }
    }

    @Test
    void deepChainDoesNotOverflowTheStack() {
        Variable x = param(1.0);
        Variable y = x;
        for (int i = 0; i < 10_000; i++) {
            y = y.mul(1.0001).add(0.5);
        }
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-9);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Variable x = param(1, 2);
        Variable y;
        try (GradMode.Guard g = GradMode.disabled()) {
            y = x.mul(x).exp();
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertNull(y.gradFn());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void detachCutsTheGraph() {
        Variable x = param(2, 3);
        Variable d = x.mul(x).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        x.mul(d).sum().backward(); // d is a constant x²: the gradient is x², not 3x²
        assertArrayEquals(new double[] {4, 9}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void secondBackwardWithoutRetainGraphFailsClearly() {
        Variable x = param(1, 2);
        Variable loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackwardThatAccumulates() {
        Variable x = param(1, 2);
        Variable loss = x.exp().sum();
        Tensor one = Tensor.of(new double[] {1}).view();
        loss.backward(one, true);
        loss.backward(one, false);
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void inputsNotRequiringGradGetNone() {
        Variable x = param(1, 2);
        Variable c = Variable.constant(Tensor.of(new double[] {3, 4}, 2));
        Variable frozen = param(5, 6).requiresGrad(false);
        x.mul(c).add(frozen).sum().backward();
        assertNull(c.grad());
        assertNull(frozen.grad());
        assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void constantsOnlyGiveAConstant() {
        Variable c = Variable.constant(Tensor.of(new double[] {3, 4}, 2));
        Variable y = c.mul(c);
        assertFalse(y.requiresGrad());
        assertSame(null, y.gradFn());
    }

    @Test
    void leafGradientsAreCompactEvenWhenTheOpHandsBackAView() {
        Variable a = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Variable b = Variable.parameter(Tensor.of(new double[] {7, 8, 9}, 1, 3));
        // concat's backward slices g, transpose's permutes it: both are views of a larger or reordered buffer.
        F.concat(0, a.mT().mT(), b).mul(Variable.constant(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3))).sum().backward();
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {7, 8, 9}, b.grad().toDoubleArray(), 1e-12);
        for (Variable v : new Variable[] {a, b}) {
            assertTrue(v.grad().isContiguous());
            assertEquals(0, v.grad().offset());
            assertEquals(v.grad().numel(), v.grad().storage().length());
        }
        Variable t = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        t.mT().mul(Variable.constant(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2))).sum().backward();
        assertTrue(t.grad().isContiguous());
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, t.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void backwardNeedsAScalarOrAGradient() {
        Variable x = param(1, 2);
        Variable y = x.mul(2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.of(new double[] {1, 1, 1}, 3), false));
    }
}
