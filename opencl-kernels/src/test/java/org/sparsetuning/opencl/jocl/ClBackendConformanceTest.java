package org.sparsetuning.opencl.jocl;

import org.junit.jupiter.api.BeforeEach;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BackendConformance;

/** The backend conformance suite (tensor's test-jar) against the OpenCL backend: PoCL in CI, a GPU when lent. */
class ClBackendConformanceTest extends BackendConformance {
    @BeforeEach
    void device() {
        ClTestDevice.require();
    }

    @Override
    protected Backend backend() {
        return ClTestDevice.backend();
    }
}
