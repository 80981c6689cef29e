package org.sparsetuning.tensor.device;

import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;

/**
 * Test-only device kind {@code loopback} with two devices, registered through the test class path's
 * META-INF/services. It lets the device rules (explicit crossings, no mixing) be tested on any machine,
 * and tests in other modules use it through tensor's test-jar.
 */
public final class LoopbackProvider implements DeviceProvider {
    public static final int DEVICES = 2;

    @Override
    public String kind() {
        return "loopback";
    }

    @Override
    public Device open(int index) {
        if (index >= DEVICES) {
            throw new DeviceUnavailableException(Reason.INDEX_OUT_OF_RANGE,
                    "loopback:" + index + ": there are " + DEVICES + " loopback devices (0.." + (DEVICES - 1) + ")");
        }
        String name = "loopback:" + index;
        return new Device(name, new LoopbackBackend(name), "test device backed by the reference kernels");
    }
}
