package org.sparsetuning.vit.sparsify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

class TokenSparsificationTest {
    static final int B = 2;
    static final int N = 9;   // CLS + 8 candidates
    static final int C = 3;

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.F64);
    }

    /** The selection is made once (indices are constants); gradients are checked through y and the scores. */
    @ParameterizedTest
    @EnumSource(Fusion.class)
    void gradientsMatchFiniteDifferences(Fusion fusion) {
        Tensor y = randn(1, B, N, C);
        Tensor logits = randn(2, B, N - 1);
        Selection sel = Selection.topK(Variable.constant(logits.softmax()), 5, fusion);
        // a = softmax(logits) stands in for the CLS attention row; a weighted projection of the output
        // makes every output element matter with a different weight.
        Tensor probe = randn(3, B, 1 + 5 + (fusion == Fusion.DROP ? 0 : 1), C);
        GradCheck.defaults().check(v -> new TokenSparsification(sel).apply(v[0], v[1].softmax())
                .mul(Variable.constant(probe)).sum(), y, logits).assertPassed();
    }

    @Test
    void forwardKeepsTopTokensInPositionOrderAndFusesTheRest() {
        double[] a = {0.30, 0.05, 0.20, 0.10, 0.35};   // one sample, 5 candidates
        Tensor scores = Tensor.of(a, 1, 5);
        double[] yv = new double[6 * 2];
        for (int i = 0; i < yv.length; i++) {
            yv[i] = i + 1;
        }
        Tensor y = Tensor.of(yv, 1, 6, 2);
        Selection sel = Selection.topK(Variable.constant(scores), 3, Fusion.SUM);
        assertArrayEquals(new int[] {0, 2, 4}, sel.kept[0]);
        assertArrayEquals(new int[] {1, 3}, sel.fused[0]);
        Tensor out = sel.apply(Variable.constant(y)).data();
        assertArrayEquals(new int[] {1, 5, 2}, out.shape());
        // rows: CLS (row 0), candidates 0, 2, 4 (rows 1, 3, 5), fused 0.05·row2 + 0.10·row4
        double[] expect = {1, 2, 3, 4, 7, 8, 11, 12, 0.05 * 5 + 0.10 * 9, 0.05 * 6 + 0.10 * 10};
        assertArrayEquals(expect, out.toDoubleArray(), 1e-12);

        Tensor avg = Selection.topK(Variable.constant(scores), 3, Fusion.WEIGHTED_AVERAGE).apply(Variable.constant(y)).data();
        assertEquals((0.05 * 5 + 0.10 * 9) / 0.15, avg.get(0, 4, 0), 1e-12);
        Tensor drop = Selection.topK(Variable.constant(scores), 3, Fusion.DROP).apply(Variable.constant(y)).data();
        assertArrayEquals(new int[] {1, 4, 2}, drop.shape());
    }

    @Test
    void rejectsSequencesOfAnotherStage() {
        Selection sel = Selection.topK(Variable.constant(randn(4, B, N - 1)), 4, Fusion.SUM);
        Variable wrong = Variable.constant(randn(5, B, N + 1, C));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sel.apply(wrong));
        assertEquals(true, e.getMessage().contains("does not fit a selection"));
    }

    @Test
    void keepCountIsCeilInDoubleIncludingTheFloatTrap() {
        // Python's math.ceil(rho * n) on doubles is the reference. A product that is an integer in decimal
        // can land just above it in double: 0.07*100 = 7.000000000000001, so Python (and we) keep 8.
        assertEquals(8, KeepCount.of(0.07, 100));
        assertEquals(8, KeepCount.of(0.28, 25));       // 7.000000000000001
        assertEquals(29, KeepCount.of(0.28, 100));     // 28.000000000000004
        // 0.7*10 is exactly 7.0 in double (tools/torchref/README says 8 for it; Python says 7, as do we).
        assertEquals(7, KeepCount.of(0.7, 10));
        // A float computation rounds differently and would disagree with the reference.
        assertEquals(7, (int) Math.ceil(0.07f * 100f));
        assertEquals(138, KeepCount.of(0.7, 196));
        assertEquals(16, KeepCount.of(1.0, 16));
        assertEquals(1, KeepCount.of(0.01, 16));
        assertThrows(IllegalArgumentException.class, () -> KeepCount.of(0, 16));
        assertThrows(IllegalArgumentException.class, () -> KeepCount.of(1.1, 16));
    }

    /** SPEC A.2's table for ViT-B/16 (197 tokens), TS at layers 4, 7, 10. */
    @Test
    void tokenCountsOfSpecTable() {
        double[] rho = {1.0, 0.9, 0.8, 0.7, 0.6, 0.5};
        int[][] expect = {{197, 197, 197}, {179, 163, 148}, {159, 129, 105}, {140, 100, 72}, {120, 74, 46}, {100, 52, 28}};
        for (int r = 0; r < rho.length; r++) {
            int n = 197;
            for (int s = 0; s < 3; s++) {
                n = KeepCount.tokensAfter(rho[r], n, Fusion.SUM);
                assertEquals(expect[r][s], n, "rho " + rho[r] + " stage " + (s + 1));
            }
        }
    }
}
