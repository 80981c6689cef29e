package org.sparsetuning.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.check.GradCheck;

class MatMulGradTest {

    @Test
    void plainAndTransposedMatrices() {
        assertPasses(v -> v[0].matmul(v[1]), randn(3, 4), randn(4, 5));
        assertPasses(v -> v[0].matmul(v[1].mT()), randn(3, 4), randn(5, 4));
        assertPasses(v -> v[0].mT().matmul(v[1]), randn(4, 3), randn(4, 2));
        assertPasses(v -> v[0].matmul(v[1]), randn(4, 3).mT(), randn(5, 4).mT());
    }

    @Test
    void batchedWithBroadcastBatches() {
        assertPasses(v -> v[0].matmul(v[1]), randn(2, 3, 4), randn(2, 4, 5));
        assertPasses(v -> v[0].matmul(v[1]), randn(2, 3, 4), randn(4, 5)); // shared right operand
        assertPasses(v -> v[0].matmul(v[1]), randn(3, 4), randn(2, 4, 5)); // shared left operand
        assertPasses(v -> v[0].matmul(v[1]), randn(2, 1, 3, 4), randn(3, 4, 2)); // batch [2,1] x [3]
        assertPasses(v -> v[0].matmul(v[1].mT()), randn(2, 3, 4), randn(2, 5, 4));
    }

    @Test
    void oneDimensionalOperands() {
        assertPasses(v -> v[0].matmul(v[1]), randn(4), randn(4, 3));
        assertPasses(v -> v[0].matmul(v[1]), randn(3, 4), randn(4));
        assertPasses(v -> v[0].matmul(v[1]), randn(4), randn(4)); // dot product, 0-d result
        assertPasses(v -> v[0].matmul(v[1]), randn(4), randn(2, 4, 3));
        assertPasses(v -> v[0].matmul(v[1]), randn(2, 3, 4), randn(4));
    }

    @Test
    void linearWithAndWithoutBias() {
        assertPasses(v -> F.linear(v[0], v[1], v[2]), randn(3, 4), randn(5, 4), randn(5));
        assertPasses(v -> F.linear(v[0], v[1], null), randn(2, 3, 4), randn(5, 4));
        assertPasses(v -> F.linear(v[0], v[1], v[2]), randn(4), randn(2, 4), randn(2));
        assertPasses(v -> F.linear(v[0].mT(), v[1], v[2]), randn(4, 3), randn(5, 4), randn(5));
    }

    @Test
    void linearWithFrozenPartsComputesOnlyWhatIsNeeded() {
        GradCheck check = GradCheck.defaults();
        check.check(v -> F.linear(v[0], v[1], v[2]), new org.sparsetuning.tensor.Tensor[] {randn(3, 4), randn(5, 4), randn(5)},
                new boolean[] {true, false, false}).assertPassed();
        check.check(v -> F.linear(v[0], v[1], v[2]), new org.sparsetuning.tensor.Tensor[] {randn(3, 4), randn(5, 4), randn(5)},
                new boolean[] {false, false, true}).assertPassed();
        check.check(v -> F.linear(v[0], v[1], v[2]), new org.sparsetuning.tensor.Tensor[] {randn(2, 3, 4), randn(5, 4), randn(5)},
                new boolean[] {false, true, false}).assertPassed();
    }

    @Test
    void linearMatchesTheDefinition() {
        var x = org.sparsetuning.autograd.Variable.constant(org.sparsetuning.tensor.Tensor.of(new double[] {1, 2}, 1, 2));
        var w = org.sparsetuning.autograd.Variable.constant(org.sparsetuning.tensor.Tensor.of(new double[] {1, 0, 3, 4, 0, -1}, 3, 2));
        var b = org.sparsetuning.autograd.Variable.constant(org.sparsetuning.tensor.Tensor.of(new double[] {10, 20, 30}, 3));
        assertArrayEquals(new double[] {11, 31, 28}, F.linear(x, w, b).data().toDoubleArray(), 1e-12);
    }
}
