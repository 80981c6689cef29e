package org.sparsetuning.tensor.cpu.simd.gemm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;
import org.sparsetuning.tensor.random.Generator;

/**
 * The full ViT-B shapes (M = 197·8) exercise every cache block and thread split, which the small shapes of
 * GemmTest do not; the reference backend is too slow for them, so sampled outputs are checked against
 * double-precision dot products instead.
 */
class GemmLargeShapeTest {

    @ParameterizedTest(name = "{0}x{1}x{2} layout {3}")
    @CsvSource({"1576,768,2304,normal", "1576,3072,768,transposed", "1576,768,3072,frozen", "197,3072,768,frozen"})
    void sampledOutputsMatchDoublePrecision(int m, int k, int n, String layout) {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, m, k);
        Tensor w = layout.equals("normal") ? Tensor.randn(g, k, n) : Tensor.randn(g, n, k).mT();
        w.storage().setFrozen(layout.equals("frozen"));
        Tensor out = Ops.empty(DType.F32, new int[] {m, n}, new ReferenceBackend());
        Gemm.matmul(x, w, null, Activation.NONE, out);
        Gemm.matmul(x, w, null, Activation.NONE, out); // a second call reads the cached panels when frozen
        float[] xa = x.toFloatArray();
        float[] wa = w.toFloatArray();
        Random r = new Random(5);
        double worst = 0;
        for (int t = 0; t < 1500; t++) {
            int i = r.nextInt(m);
            int j = r.nextInt(n);
            double acc = 0;
            double mag = 0;
            for (int p = 0; p < k; p++) {
                double prod = (double) xa[i * k + p] * wa[p * n + j];
                acc += prod;
                mag += Math.abs(prod);
            }
            // float accumulation error is bounded by K·eps·Σ|terms|; typical is far below, so 1e-5·Σ|terms| is tight
            worst = Math.max(worst, Math.abs(acc - out.get(i, j)) / mag);
        }
        assertTrue(worst < 1e-5, "worst error relative to sum of |terms|: " + worst);
    }
}
