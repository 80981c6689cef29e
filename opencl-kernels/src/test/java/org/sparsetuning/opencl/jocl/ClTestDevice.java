package org.sparsetuning.opencl.jocl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.DeviceUnavailableException;
import org.sparsetuning.tensor.device.Devices;

/**
 * The OpenCL device the tests run on, {@code opencl:0} (or -Dopencl.device=opencl:N). Without one, tests are
 * skipped with the reason, except where OpenCL is required (env CI=true, or -Dopencl.required=true): there a
 * missing device fails, and the platform that ran must be the expected one (PoCL, or -Dopencl.platform=...),
 * since a green suite that ran nowhere, or somewhere unexpected, proves nothing.
 */
public final class ClTestDevice {
    private static Device device;
    private static String unavailable;

    private ClTestDevice() {
    }

    public static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("opencl.required");
    }

    /** The device, or a skipped (or, where required, failed) test. */
    public static synchronized Device require() {
        if (device == null && unavailable == null) {
            String spec = System.getProperty("opencl.device", "opencl:0");
            try {
                device = Devices.select(spec);
                System.out.println("OpenCL tests run on " + device);
            } catch (DeviceUnavailableException e) {
                unavailable = spec + " unavailable (" + e.reason() + "): " + e.getMessage();
            }
        }
        if (device == null) {
            if (required()) {
                fail("OpenCL is required here (CI=true or -Dopencl.required=true) but " + unavailable);
            }
            Assumptions.abort(unavailable);
        }
        if (required()) {
            String expected = System.getProperty("opencl.platform", "Portable Computing Language");
            String platform = context().info.platform;
            assertTrue(platform.contains(expected), "the OpenCL tests ran on platform '" + platform + "', expected '" + expected
                    + "' (set -Dopencl.platform to the platform of this machine)");
        }
        return device;
    }

    public static ClBackend backend() {
        return (ClBackend) require().backend();
    }

    public static ClContext context() {
        return ((ClBackend) device.backend()).context();
    }
}
