package org.sparsetuning.autograd.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sparsetuning.autograd.check.GradCheck.assertPasses;
import static org.sparsetuning.autograd.ops.Inputs.randn;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.Tensor;

/** The fused transformer-block operations: gradients by central differences, values against their composition. */
class FusedBlockOpsTest {

    /** softmax(q·kᵀ·scale)·v written with the elementary differentiable ops. */
    private static Variable composedAttention(Variable qkv, int heads, double scale) {
        int b = qkv.size(0);
        int n = qkv.size(1);
        int c = qkv.size(2) / 3;
        Variable h = qkv.reshape(b, n, 3, heads, c / heads).permute(2, 0, 3, 1, 4);
        Variable q = h.select(0, 0);
        Variable k = h.select(0, 1);
        Variable v = h.select(0, 2);
        return q.mul(scale).matmul(k.mT()).softmax().matmul(v).transpose(1, 2).reshape(b, n, c);
    }

    @Test
    void selfAttentionGradient() {
        assertPasses(v -> F.selfAttention(v[0], 2, 0.7), randn(2, 5, 12));
        assertPasses(v -> F.selfAttention(v[0], 1, 0.3), randn(1, 3, 6));
        assertPasses(v -> F.selfAttention(v[0], 3, 0.5), randn(2, 7, 4, 9).select(2, 1)); // strided input
    }

    @Test
    void selfAttentionMatchesItsComposition() {
        Tensor x = randn(2, 6, 3 * 3 * 4);
        double[] fused = F.selfAttention(Variable.constant(x), 3, 0.5).data().toDoubleArray();
        double[] composed = composedAttention(Variable.constant(x), 3, 0.5).data().toDoubleArray();
        assertArrayEquals(composed, fused, 1e-12);
        Variable a = Variable.parameter(x);
        Variable b = Variable.parameter(x);
        Tensor g = randn(2, 6, 12);
        F.selfAttention(a, 3, 0.5).backward(g, false);
        composedAttention(b, 3, 0.5).backward(g, false);
        assertArrayEquals(b.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void selfAttentionKeepsOnlyItsInput() {
        Variable qkv = Variable.parameter(randn(2, 5, 12)).mul(1.0);
        Variable out = F.selfAttention(qkv, 2, 0.5);
        assertEquals(qkv.data().storage().bytes(), out.gradFn().savedBytes());
    }

    @Test
    void selfAttentionRejectsBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> F.selfAttention(Variable.constant(randn(2, 5, 10)), 2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> F.selfAttention(Variable.constant(randn(5, 12)), 2, 1.0));
    }

    @Test
    void fusedMlpGradientBothWays() {
        for (boolean keep : new boolean[] {false, true}) {
            assertPasses(v -> F.fusedMlp(v[0], v[1], v[2], v[3], v[4], keep), randn(2, 3, 4), randn(6, 4), randn(6), randn(4, 6), randn(4));
            assertPasses(v -> F.fusedMlp(v[0], v[1], null, v[2], null, keep), randn(3, 4), randn(5, 4), randn(3, 5));
            assertPasses(v -> F.fusedMlp(v[0].mT(), v[1], v[2], v[3], v[4], keep), randn(4, 3), randn(6, 4), randn(6), randn(4, 6), randn(4));
        }
    }

    @Test
    void fusedMlpWithFrozenWeightsAndTrainableBiases() {
        for (boolean keep : new boolean[] {false, true}) {
            GradCheck.defaults().check(v -> F.fusedMlp(v[0], v[1], v[2], v[3], v[4], keep),
                    new Tensor[] {randn(2, 3, 4), randn(6, 4), randn(6), randn(4, 6), randn(4)},
                    new boolean[] {true, false, true, false, true}).assertPassed();
            GradCheck.defaults().check(v -> F.fusedMlp(v[0], v[1], v[2], v[3], v[4], keep),
                    new Tensor[] {randn(2, 3, 4), randn(6, 4), randn(6), randn(4, 6), randn(4)},
                    new boolean[] {true, false, false, false, false}).assertPassed();
        }
    }

    @Test
    void fusedMlpMatchesItsCompositionAndKeepsOnlyWhatItsBackwardReads() {
        Tensor x = randn(2, 3, 4);
        Variable w1 = Variable.constant(randn(6, 4));
        Variable b1 = Variable.constant(randn(6));
        Variable w2 = Variable.constant(randn(4, 6));
        Variable b2 = Variable.constant(randn(4));
        Variable composed = F.linear(F.gelu(F.linear(Variable.constant(x), w1, b1)), w2, b2);
        long w1Bytes = w1.data().storage().bytes();
        long w2Bytes = w2.data().storage().bytes();

        Variable xa = Variable.parameter(x).mul(1.0);
        Variable recomputing = F.fusedMlp(xa, w1, b1, w2, b2, false);
        assertArrayEquals(composed.data().toDoubleArray(), recomputing.data().toDoubleArray(), 1e-12);
        // x, to recompute fc1 (with W1 and b1), and W2
        assertEquals(xa.data().storage().bytes() + w1Bytes + b1.data().storage().bytes() + w2Bytes,
                recomputing.gradFn().savedBytes());

        Variable keeping = F.fusedMlp(xa, w1, b1, w2, b2, true);
        assertArrayEquals(composed.data().toDoubleArray(), keeping.data().toDoubleArray(), 1e-12);
        // fc1's output [2, 3, 6] instead of x and b1; the weights for the input's gradient
        assertEquals(2 * 3 * 6 * 8L + w1Bytes + w2Bytes, keeping.gradFn().savedBytes());

        Variable g = Variable.constant(randn(2, 3, 4));
        Variable xr = Variable.parameter(x);
        F.fusedMlp(xr, w1, b1, w2, b2, false).mul(g).sum().backward();
        Variable xk = Variable.parameter(x);
        F.fusedMlp(xk, w1, b1, w2, b2, true).mul(g).sum().backward();
        assertArrayEquals(xr.grad().toDoubleArray(), xk.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void fusedMlpKeepsNothingWithoutAGraph() {
        Variable x = Variable.constant(randn(3, 4));
        Variable w1 = Variable.constant(randn(6, 4));
        Variable w2 = Variable.constant(randn(4, 6));
        Variable out = F.fusedMlp(x, w1, null, w2, null, true);
        assertEquals(null, out.gradFn());
        // Without a graph the kept-hidden setting takes the fused GELU path and gives the composition's values.
        Variable composed = F.linear(F.gelu(F.linear(x, w1, null)), w2, null);
        assertArrayEquals(composed.data().toDoubleArray(), out.data().toDoubleArray(), 1e-12);
    }
}
