package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BackendConformance;

/** The SIMD backend against the reference, with the pool's default thread count (splits large inputs). */
class SimdBackendConformanceTest extends BackendConformance {
    private final Backend backend = new SimdBackend();

    @Override
    protected Backend backend() {
        return backend;
    }
}
