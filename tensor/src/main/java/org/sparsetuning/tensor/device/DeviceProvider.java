package org.sparsetuning.tensor.device;

/**
 * A kind of accelerator, found with {@link java.util.ServiceLoader}: a jar that supports one registers its
 * implementation in {@code META-INF/services/org.sparsetuning.tensor.device.DeviceProvider}. The tensor
 * module itself knows only the CPU, so a model compiles and runs with no native code on the class path.
 */
public interface DeviceProvider {
    /** The kind a device spec names, such as {@code "opencl"} in {@code "opencl:1"}. */
    String kind();

    /**
     * Opens device {@code index} of this kind, named {@code kind() + ":" + index}. Called at most once per
     * index by {@link Devices}, which keeps the device open for the life of the JVM.
     *
     * @throws DeviceUnavailableException with the reason when the device cannot be used (no native loader,
     *         no platform, no device, index out of range, initialisation failed); never returns a substitute
     */
    Device open(int index);
}
