package org.sparsetuning.tensor.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BackendConformance;
import org.sparsetuning.tensor.backend.ComposedAdamW;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.random.Generator;

/** The SIMD backend against the reference, with the pool's default thread count (splits large inputs). */
class SimdBackendConformanceTest extends BackendConformance {
    private final Backend backend = new SimdBackend();

    @Override
    protected Backend backend() {
        return backend;
    }

    @Test
    void emptyTensorsWithRowsDoNothing() {
        // [4, 0] is not contiguous by the stride rule, so its rows have offsets 0..3 into an empty array.
        Tensor src = Tensor.zeros(4, 0);
        Tensor dst = Ops.empty(DType.F32, new int[] {4, 0}, backend);
        backend.copy(src, dst);
        backend.copy(src, Ops.empty(DType.I32, new int[] {4, 0}, backend));
        backend.fill(dst, 1);
        backend.unary(UnaryOp.EXP, src, dst);
        assertEquals(0, dst.numel());
    }
    /**
     * The fused update gives the composed definition's bits (same operations, same order, no fused multiply-add),
     * at sizes off the vector width and past one task's chunk, so the split across threads is covered too.
     */
    @Test
    void adamwFusedGivesTheComposedBits() {
        Generator gen = new Generator(7);
        for (int n : new int[] {1, 15, 17, 4099, 40_003}) {
            for (double wd : new double[] {0, 0.05}) {
                AdamWStep s = new AdamWStep(1e-3, 0.9, 0.999, 1e-8, wd, 3);
                float[] p = gen.normal(n, 0, 1);
                float[] g = gen.normal(n, 0, 0.1);
                float[] m = gen.normal(n, 0, 0.01);
                float[] v = gen.uniform(n, 0, 1e-3);
                Tensor[] fused = {Tensor.of(p.clone(), n), Tensor.of(m.clone(), n), Tensor.of(v.clone(), n)};
                Tensor[] composed = {Tensor.of(p.clone(), n), Tensor.of(m.clone(), n), Tensor.of(v.clone(), n)};
                backend.adamw(fused[0], Tensor.of(g, n), fused[1], fused[2], s);
                ComposedAdamW.update(composed[0], Tensor.of(g, n), composed[1], composed[2], s);
                String what = "adamw n " + n + " wd " + wd;
                assertArrayEquals(composed[1].toFloatArray(), fused[1].toFloatArray(), what + " first moment");
                assertArrayEquals(composed[2].toFloatArray(), fused[2].toFloatArray(), what + " second moment");
                assertArrayEquals(composed[0].toFloatArray(), fused[0].toFloatArray(), what + " parameter");
            }
        }
    }
}
