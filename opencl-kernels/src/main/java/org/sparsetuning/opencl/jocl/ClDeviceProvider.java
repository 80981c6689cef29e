package org.sparsetuning.opencl.jocl;

import java.util.List;
import org.jocl.CLException;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.DeviceProvider;
import org.sparsetuning.tensor.device.DeviceUnavailableException;
import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;

/**
 * Devices of kind {@code opencl}: {@code opencl:N} is the N-th device over all OpenCL platforms, in the order
 * {@code clinfo -l} lists them. Registered in META-INF/services; {@link org.sparsetuning.tensor.device.Devices}
 * opens each index once.
 */
public final class ClDeviceProvider implements DeviceProvider {
    @Override
    public String kind() {
        return "opencl";
    }

    @Override
    public Device open(int index) {
        List<ClDiscovery.Found> all = ClDiscovery.devices();
        if (index >= all.size()) {
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < all.size(); i++) {
                names.append(i == 0 ? "" : ", ").append("opencl:").append(i).append(' ').append(all.get(i).deviceName());
            }
            throw new DeviceUnavailableException(Reason.INDEX_OUT_OF_RANGE, "opencl:" + index + " does not exist; the devices are " + names);
        }
        String name = "opencl:" + index;
        try {
            ClContext ctx = new ClContext(name, all.get(index));
            return new Device(name, new ClBackend(ctx), ctx.info.toString());
        } catch (CLException | LinkageError e) {
            throw new DeviceUnavailableException(Reason.INIT_FAILED, name + " (" + all.get(index).deviceName() + ") could not be set up: " + e, e);
        }
    }
}
