package org.sparsetuning.tensor.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BackendConformance;
import org.sparsetuning.tensor.backend.UnaryOp;

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
}
