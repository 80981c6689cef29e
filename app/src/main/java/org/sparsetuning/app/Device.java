package org.sparsetuning.app;

import java.util.Locale;

/**
 * The {@code --device} value: {@code cpu}, or {@code opencl} / {@code opencl:N} (device N of the OpenCL platform),
 * checked here with flag-level messages before {@link org.sparsetuning.tensor.device.Devices} opens it.
 */
public record Device(String kind, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public static Device parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return CPU;
        }
        if (v.equals("opencl") || v.startsWith("opencl:")) {
            int n = 0;
            if (v.startsWith("opencl:")) {
                try {
                    n = Integer.parseInt(v.substring("opencl:".length()));
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) {
                    throw new IllegalArgumentException("--device " + value + ": expected opencl:N with N a device number >= 0");
                }
            }
            return new Device("opencl", n);
        }
        throw new IllegalArgumentException("--device must be cpu or opencl[:N], got '" + value + "'");
    }

    @Override
    public String toString() {
        return kind.equals("cpu") ? "cpu" : kind + ":" + index;
    }
}
