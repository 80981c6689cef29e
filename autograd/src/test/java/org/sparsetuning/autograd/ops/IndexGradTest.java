package org.sparsetuning.autograd.ops;

import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.ints;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.tensor.Tensor;

class IndexGradTest {

    @Test
    void gatherWithRepeatedIndices() {
        Tensor index = ints(new int[] {0, 2, 2, 1, 1, 1}, 2, 3);
        assertPasses(v -> v[0].gather(1, index).mul(v[1]), randn(2, 4), randn(2, 3));
        Tensor rows = ints(new int[] {1, 0, 1}, 1, 3);
        assertPasses(v -> v[0].gather(0, rows), randn(2, 3));
    }

    @Test
    void indexSelectWithRepeats() {
        Tensor index = ints(new int[] {3, 0, 3}, 3);
        assertPasses(v -> v[0].indexSelect(0, index).mul(v[1]), randn(4, 2), randn(3, 2));
        assertPasses(v -> v[0].indexSelect(1, index), randn(2, 5).narrow(1, 1, 4));
    }

    @Test
    void scatterAddIntoBothInputs() {
        Tensor index = ints(new int[] {0, 2, 0, 1, 1, 3}, 2, 3);
        assertPasses(v -> F.scatterAdd(v[0], 1, index, v[1]).mul(v[2]), randn(2, 4), randn(2, 3), randn(2, 4));
        // src larger than the index: its extra elements are unused and get a zero gradient.
        Tensor small = ints(new int[] {1, 0}, 2, 1);
        assertPasses(v -> F.scatterAdd(v[0], 1, small, v[1]).mul(v[2]), randn(2, 3), randn(2, 2), randn(2, 3));
    }

    @Test
    void whereBroadcastsMaskAndSides() {
        Tensor mask = Tensor.of(new double[] {1, 0, 0, 1, 1, 0}, 2, 3);
        assertPasses(v -> F.where(mask, v[0], v[1]), randn(2, 3), randn(3));
        Tensor rowMask = Tensor.of(new double[] {1, 0, 1}, 3);
        assertPasses(v -> F.where(rowMask, v[0], v[1]).mul(v[2]), randn(2, 1), randn(2, 3), randn(2, 3));
    }

    @Test
    void maskedFillBlocksTheGradient() {
        Tensor mask = Tensor.of(new double[] {0, 1, 0, 0, 0, 1}, 1, 6);
        assertPasses(v -> v[0].maskedFill(mask, -1e9).softmax(), randn(3, 6));
    }
}
