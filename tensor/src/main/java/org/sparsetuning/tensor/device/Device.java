package org.sparsetuning.tensor.device;

import java.util.Objects;
import org.sparsetuning.tensor.backend.Backend;

/**
 * Where tensors live and which kernels compute on them: {@code cpu} (heap arrays, the CPU backend) or a
 * device opened by a {@link DeviceProvider}, such as {@code opencl:0}. The name is the one its storages
 * report from {@link org.sparsetuning.tensor.storage.Storage#device()}, so a tensor finds its kernels from
 * its storage alone.
 *
 * <p>Obtain devices from {@link Devices}; tensors move with {@link org.sparsetuning.tensor.Tensor#to(Device)}.
 */
public final class Device {
    private final String name;
    private final Backend backend;
    private final String description;

    /**
     * @param name        "kind:index" for a provider's device ("opencl:0"), "cpu" for the host
     * @param backend     the kernels that compute on this device's storages
     * @param description what the device is, for logs ("pthread-skylake (Portable Computing Language)")
     */
    public Device(String name, Backend backend, String description) {
        this.name = Objects.requireNonNull(name, "name");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.description = Objects.requireNonNull(description, "description");
    }

    public String name() {
        return name;
    }

    public Backend backend() {
        return backend;
    }

    public String description() {
        return description;
    }

    public boolean isCpu() {
        return Devices.CPU_NAME.equals(name);
    }

    /** Devices are equal when they have the same name (there is one device per name in a JVM). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (" + description + ")";
    }
}
