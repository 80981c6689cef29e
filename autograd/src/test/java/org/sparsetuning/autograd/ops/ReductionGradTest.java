package org.sparsetuning.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

class ReductionGradTest {

    @Test
    void sumOverAllAndOverDims() {
        assertPasses(v -> v[0].sum(), randn(3, 4));
        assertPasses(v -> v[0].sum(1, false), randn(3, 4, 2));
        assertPasses(v -> v[0].sum(-1, true), randn(3, 4, 2));
        assertPasses(v -> v[0].sum(new int[] {0, 2}, false), randn(3, 4, 2));
        assertPasses(v -> v[0].sum(new int[] {2, 0}, true), randn(3, 4, 2));
        assertPasses(v -> v[0].sum(), randn(5, 3).mT());
    }

    @Test
    void meanOverAllAndOverDims() {
        assertPasses(v -> v[0].mean(), randn(3, 4));
        assertPasses(v -> v[0].mean(0, false), randn(3, 4));
        assertPasses(v -> v[0].mean(new int[] {0, 1}, true), randn(2, 3, 4));
        assertPasses(v -> v[0].mean(1, true), randn(4, 6).narrow(1, 1, 4));
    }

    @Test
    void maxOverADimension() {
        assertPasses(v -> v[0].max(1, false), randn(3, 5));
        assertPasses(v -> v[0].max(0, true), randn(4, 3, 2));
        assertPasses(v -> v[0].max(-1, false), randn(5, 3).mT());
    }

    @Test
    void maxSendsTheGradientToTheFirstMaximum() {
        Variable x = Variable.parameter(Tensor.of(new double[] {1, 3, 3, 2}, 1, 4));
        x.max(1, false).sum().backward();
        assertArrayEquals(new double[] {0, 1, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void varianceWithCorrections() {
        assertPasses(v -> v[0].var(1, false, 1), randn(3, 5));
        assertPasses(v -> v[0].var(1, true, 0), randn(3, 5));
        assertPasses(v -> v[0].var(new int[] {0, 2}, false, 1), randn(3, 2, 4));
        assertPasses(v -> v[0].var(0, false, 1), randn(5, 3).mT());
    }

    @Test
    void varianceValueMatchesTheDefinition() {
        Variable x = Variable.constant(Tensor.of(new double[] {1, 2, 3, 6}, 4));
        // mean 3, squared deviations 4 + 1 + 0 + 9 = 14
        assertEquals(14.0 / 3, x.var(0, false, 1).data().item(), 1e-12);
        assertEquals(14.0 / 4, x.var(0, false, 0).data().item(), 1e-12);
    }
}
