package org.sparsetuning.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

class BatchNorm1dTest {
    static Tensor x() {
        // 5 samples of 3 features with different means and spreads
        Tensor t = Tensor.of(new Generator(3).normal(15, 0, 1), 5, 3);
        return t.mul(Tensor.of(new float[] {1f, 3f, 0.5f}, 3)).add(Tensor.of(new float[] {2f, -1f, 0f}, 3));
    }

    @Test
    void trainingNormalisesWithBatchMeanAndBiasedVariance() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-6);
        Tensor in = x();
        Tensor out = bn.forward(Variable.constant(in)).data();
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            double sq = 0;
            for (int b = 0; b < 5; b++) {
                mean += in.get(b, c) / 5;
            }
            for (int b = 0; b < 5; b++) {
                sq += (in.get(b, c) - mean) * (in.get(b, c) - mean);
            }
            double biased = sq / 5;
            for (int b = 0; b < 5; b++) {
                assertEquals((in.get(b, c) - mean) / Math.sqrt(biased + 1e-6), out.get(b, c), 1e-5);
            }
            // running statistics: momentum 0.1 from (0, 1), with the unbiased variance
            assertEquals(0.1 * mean, bn.runningMean().get(c), 1e-6);
            assertEquals(0.9 + 0.1 * sq / 4, bn.runningVar().get(c), 1e-5);
        }
    }

    @Test
    void evaluationUsesTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-6);
        bn.forward(Variable.constant(x()));
        bn.eval();
        Tensor probe = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3);
        Tensor out = bn.forward(Variable.constant(probe)).data();
        for (int c = 0; c < 3; c++) {
            double want = (probe.get(0, c) - bn.runningMean().get(c)) / Math.sqrt(bn.runningVar().get(c) + 1e-6);
            assertEquals(want, out.get(0, c), 1e-5);
        }
    }

    @Test
    void gradientsInTraining() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-6);
        GradCheck.assertPasses(v -> bn.forward(v[0]), x().to(DType.F64));
    }

    @Test
    void hasNoTrainableTensors() {
        assertEquals(0, new BatchNorm1d(4, 1e-6).parameterCount());
    }

    @Test
    void refusesWhatItCannotNormalise() {
        BatchNorm1d bn = new BatchNorm1d(3, 1e-6);
        String e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Variable.constant(Tensor.zeros(1, 3)))).getMessage();
        assertTrue(e.contains("more than one sample"), e);
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Variable.constant(Tensor.zeros(4, 5)))).getMessage();
        assertTrue(e.contains("[B, 3]") && e.contains("[4, 5]"), e);
    }
}
