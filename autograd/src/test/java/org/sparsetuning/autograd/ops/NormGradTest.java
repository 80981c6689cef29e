package org.sparsetuning.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

class NormGradTest {

    @Test
    void softmaxAndLogSoftmax() {
        assertPasses(v -> v[0].softmax(), randn(3, 5));
        assertPasses(v -> v[0].logSoftmax(), randn(2, 3, 4));
        assertPasses(v -> v[0].mT().softmax(), randn(4, 3));
    }

    @Test
    void layerNormWithAndWithoutAffine() {
        assertPasses(v -> F.layerNorm(v[0], v[1], v[2], 1e-5), randn(3, 6), randn(6), randn(6));
        assertPasses(v -> F.layerNorm(v[0], null, null, 1e-6), randn(2, 3, 5));
        assertPasses(v -> F.layerNorm(v[0], v[1], null, 1e-6), randn(2, 3, 5), randn(5));
        assertPasses(v -> F.layerNorm(v[0].mT(), v[1], v[2], 1e-6), randn(5, 4), randn(5), randn(5));
        assertPasses(v -> new LayerNorm(1e-6).apply(v[0]), randn(3, 4)); // x alone, no affine inputs at all
    }

    @Test
    void layerNormParameterGradientsAlone() {
        Tensor[] in = {randn(4, 6), randn(6), randn(6)};
        GradCheck check = GradCheck.defaults();
        check.check(v -> F.layerNorm(v[0], v[1], v[2], 1e-6), in, new boolean[] {false, true, false}).assertPassed();
        check.check(v -> F.layerNorm(v[0], v[1], v[2], 1e-6), in, new boolean[] {false, false, true}).assertPassed();
        check.check(v -> F.layerNorm(v[0], v[1], v[2], 1e-6), in, new boolean[] {true, false, false}).assertPassed();
    }

    @Test
    void crossEntropyWithAndWithoutSmoothing() {
        Tensor labels = Inputs.ints(new int[] {2, 0, 4}, 3);
        assertPasses(v -> F.crossEntropy(v[0], labels), randn(3, 5));
        assertPasses(v -> F.crossEntropy(v[0], labels, 0.1), randn(3, 5));
        Tensor labels2d = Inputs.ints(new int[] {1, 0, 3, 3}, 2, 2);
        assertPasses(v -> F.crossEntropy(v[0], labels2d, 0.2), randn(2, 2, 4));
    }

    @Test
    void crossEntropyValueWithSmoothing() {
        // logits [0, ln 3]: p = [1/4, 3/4]; label 1, ε = 0.2, C = 2: target [0.1, 0.9]
        Variable x = Variable.constant(Tensor.of(new double[] {0, Math.log(3)}, 1, 2));
        double expected = -(0.1 * Math.log(0.25) + 0.9 * Math.log(0.75));
        assertEquals(expected, F.crossEntropy(x, Tensor.ofInts(new int[] {1}, 1), 0.2).data().item(), 1e-12);
    }

    @Test
    void crossEntropyRejectsBadLabels() {
        Variable x = Variable.parameter(randn(2, 3));
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(x, randn(2)));
        assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(x, Tensor.ofInts(new int[] {0, 1, 2}, 3)));
        assertThrows(IndexOutOfBoundsException.class, () -> F.crossEntropy(x, Tensor.ofInts(new int[] {0, 3}, 2)));
    }

    @Test
    void dropoutGradientUsesTheForwardMask() {
        // A fresh generator with the same seed per call: the numeric passes see the same mask.
        assertPasses(v -> F.dropout(v[0], 0.3, true, new Generator(7)), randn(4, 6));
    }

    @Test
    void dropoutZeroesAndRescales() {
        Tensor x = Tensor.ones(1000).to(org.sparsetuning.tensor.DType.F64);
        double[] y = F.dropout(Variable.constant(x), 0.25, true, new Generator(3)).data().toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-12, "dropout output " + v);
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > 200 && zeros < 300, zeros + " of 1000 dropped with p = 0.25");
    }

    @Test
    void dropoutIsTheIdentityInEvalAndAtZero() {
        Variable x = Variable.parameter(randn(3));
        assertEquals(x, F.dropout(x, 0.5, false, new Generator(1)));
        assertEquals(x, F.dropout(x, 0.0, true, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> F.dropout(x, 1.0, true, new Generator(1)));
    }
}
