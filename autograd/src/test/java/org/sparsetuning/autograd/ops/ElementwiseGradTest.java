package org.sparsetuning.autograd.ops;

import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;
import static org.sparsetuning.autograd.ops.Inputs.uniform;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;

class ElementwiseGradTest {

    @Test
    void addBroadcastsAcrossRanks() {
        assertPasses(v -> v[0].add(v[1]), randn(3, 1, 5), randn(4, 5));
        assertPasses(v -> v[0].add(v[1]), randn(2, 3), randn(3)); // a bias row
        assertPasses(v -> v[0].add(v[1]), randn(2, 3), randn(new int[0])); // a 0-d scalar
    }

    @Test
    void subBroadcastsBothSides() {
        assertPasses(v -> v[0].sub(v[1]), randn(4, 1), randn(1, 3));
        assertPasses(v -> v[0].sub(v[1]), randn(3, 1, 5), randn(4, 5));
    }

    @Test
    void mulAndDivBroadcast() {
        assertPasses(v -> v[0].mul(v[1]), randn(3, 1, 5), randn(4, 5));
        assertPasses(v -> v[0].div(v[1]), randn(2, 3, 4), uniform(0.5, 2, 3, 1));
        assertPasses(v -> v[1].div(v[0]), uniform(0.5, 2, 4), randn(2, 4));
    }

    @Test
    void nonContiguousOperands() {
        assertPasses(v -> v[0].transpose(0, 1).mul(v[1]), randn(4, 3), randn(3, 4));
        assertPasses(v -> v[0].narrow(1, 1, 3).add(v[1].expand(2, 3)), randn(2, 5), randn(1, 3));
        // A transposed leaf: the check perturbs it in its own strided layout.
        assertPasses(v -> v[0].mul(v[1]), randn(3, 4).mT(), randn(4, 3));
        assertPasses(v -> v[0].div(v[1]), randn(4, 6).narrow(1, 2, 3), uniform(1, 2, 4, 3));
    }

    @Test
    void powWithTensorAndScalarExponents() {
        assertPasses(v -> v[0].pow(v[1]), uniform(0.5, 2, 3, 4), randn(4));
        assertPasses(v -> v[0].pow(3.0), randn(3, 4));
        assertPasses(v -> v[0].pow(-1.5), uniform(0.5, 2, 5));
        assertPasses(v -> v[0].square(), randn(2, 3));
    }

    @Test
    void scalarForms() {
        assertPasses(v -> v[0].add(2.5).mul(-3.0).sub(1.0).div(4.0), randn(3, 4));
    }

    @Test
    void unaryFunctions() {
        assertPasses(v -> v[0].neg(), randn(3, 4));
        assertPasses(v -> v[0].exp(), randn(3, 4));
        assertPasses(v -> v[0].log(), uniform(0.2, 3, 3, 4));
        assertPasses(v -> v[0].sqrt(), uniform(0.2, 3, 3, 4));
        assertPasses(v -> v[0].rsqrt(), uniform(0.2, 3, 3, 4));
        assertPasses(v -> v[0].tanh(), randn(3, 4));
        assertPasses(v -> v[0].sigmoid(), randn(3, 4));
        assertPasses(v -> v[0].relu(), randn(3, 4));
        assertPasses(v -> F.gelu(v[0]), randn(3, 4).mul(2.0));
    }

    @Test
    void unaryOnTransposedInput() {
        assertPasses(v -> v[0].mT().gelu().mul(v[0].mT().tanh()), randn(3, 5));
    }
}
