package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.fail;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.random.Generator;

/** Test helpers: random host tensors, device copies, empty outputs, comparison. */
final class ClTensors {
    private ClTensors() {
    }

    static Tensor randn(Generator g, int... shape) {
        return Tensor.randn(g, shape);
    }

    static Tensor empty(Backend be, DType dtype, int... shape) {
        return Ops.empty(dtype, shape, be);
    }

    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        if (e.length != a.length) {
            fail(what + ": " + a.length + " values, expected " + e.length);
        }
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }
}
