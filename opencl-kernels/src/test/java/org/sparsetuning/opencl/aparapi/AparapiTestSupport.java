package org.sparsetuning.opencl.aparapi;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;

/**
 * Device gate and comparisons shared by the Aparapi tests. Without an OpenCL device the tests are skipped
 * with the reason, except where a skip would hide that nothing was tested: with env CI=true or
 * -Dopencl.required=true they fail instead.
 */
final class AparapiTestSupport {
    /** The platform the tests must run on: -Dopencl.platform, env OPENCL_PLATFORM, else PoCL (CI's device). */
    static final String EXPECTED_PLATFORM = System.getProperty("opencl.platform",
            System.getenv().getOrDefault("OPENCL_PLATFORM", "Portable Computing Language"));

    private AparapiTestSupport() {
    }

    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("opencl.required");
    }

    /** The device to test on, or skip (fail when required) with the reason there is none. */
    static AparapiDevice device() {
        String reason = AparapiDevice.unavailableReason();
        if (reason != null) {
            gate(reason, required());
        }
        return AparapiDevice.open();
    }

    /** Fails (required) or aborts the test as skipped, with the reason there is no device. */
    static void gate(String reason, boolean required) {
        if (required) {
            fail("OpenCL is required here (CI=true or -Dopencl.required=true) but Aparapi has no device: " + reason);
        }
        Assumptions.abort("no OpenCL device for Aparapi: " + reason);
    }

    static Backend reference() {
        return Backends.reference();
    }

    static Tensor empty(int... shape) {
        return Ops.empty(DType.F32, shape, reference());
    }

    /** |actual − expected| ≤ atol + rtol·|expected| everywhere; the message names the worst element. */
    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        if (!expected.sameShape(actual)) {
            fail(what + ": shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape()));
        }
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs((double) a[i] - e[i]);
            double excess = err - (atol + rtol * Math.abs(e[i]));
            boolean bad = Double.isNaN(a[i]) != Double.isNaN(e[i]) || excess > 0;
            if (bad && (worst < 0 || excess > worstExcess || Double.isNaN(excess))) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + a[worst] + ", expected " + e[worst] + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    /** Bit-for-bit equality (a single correctly rounded float operation per element). */
    static void assertSame(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, 0, 0, what);
    }
}
