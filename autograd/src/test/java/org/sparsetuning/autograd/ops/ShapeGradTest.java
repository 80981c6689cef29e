package org.sparsetuning.autograd.ops;

import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;

class ShapeGradTest {

    @Test
    void viewAndReshape() {
        assertPasses(v -> v[0].view(4, 3).mul(v[1]), randn(2, 6), randn(4, 3));
        assertPasses(v -> v[0].mT().reshape(-1).mul(v[1]), randn(3, 4), randn(12)); // reshape copies
    }

    @Test
    void permuteAndTranspose() {
        assertPasses(v -> v[0].permute(2, 0, 1).mul(v[1]), randn(2, 3, 4), randn(4, 2, 3));
        assertPasses(v -> v[0].transpose(0, 2).mul(v[1]), randn(2, 3, 4), randn(4, 3, 2));
        assertPasses(v -> v[0].mT().contiguous().mul(v[1]), randn(2, 3), randn(3, 2));
    }

    @Test
    void narrowAndSelect() {
        assertPasses(v -> v[0].narrow(1, 1, 2).mul(v[1]), randn(3, 4), randn(3, 2));
        assertPasses(v -> v[0].select(0, 2).mul(v[1]), randn(3, 4), randn(4));
        assertPasses(v -> v[0].select(-1, 1).mul(v[1]), randn(3, 4).mT(), randn(4));
    }

    @Test
    void expandSqueezeUnsqueeze() {
        assertPasses(v -> v[0].expand(2, 3, 4).mul(v[1]), randn(3, 1), randn(2, 3, 4));
        assertPasses(v -> v[0].squeeze(1).mul(v[1]), randn(3, 1, 4), randn(3, 4));
        assertPasses(v -> v[0].unsqueeze(1).mul(v[1]), randn(3, 4), randn(3, 2, 4));
        assertPasses(v -> v[0].unsqueeze(-1).mul(v[1]), randn(3), randn(3, 2));
    }

    @Test
    void concatAndStack() {
        assertPasses(v -> F.concat(1, v[0], v[1], v[2]).mul(v[3]), randn(2, 1), randn(2, 3), randn(2, 2), randn(2, 6));
        assertPasses(v -> F.concat(0, v[0].mT(), v[1]).tanh(), randn(3, 2), randn(1, 3));
        assertPasses(v -> F.stack(1, v[0], v[1]).mul(v[2]), randn(3, 4), randn(3, 4), randn(3, 2, 4));
        assertPasses(v -> F.stack(0, v[0], v[0].exp()).sum(), randn(2, 3)); // one input used twice
    }
}
