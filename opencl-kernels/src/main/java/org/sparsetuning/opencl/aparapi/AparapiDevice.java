package org.sparsetuning.opencl.aparapi;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The OpenCL device Aparapi kernels run on, picked explicitly and logged once. Aparapi's own choice
 * ("best device", falling back to a Java thread pool) is never used: every kernel is bound to this device
 * by {@link CheckedExecutor}.
 *
 * <p>Choice: system property {@value #PROPERTY} (or environment variable {@value #ENV}) = a device index
 * as listed in the log and by {@code clinfo -l} order, or {@code gpu} / {@code cpu} / {@code accelerator}
 * for the first device of that type. By default the first GPU, else the first device of any type (PoCL's
 * CPU device on a machine without a GPU).
 */
public final class AparapiDevice {
    public static final String PROPERTY = "sparsetuning.aparapi.device";
    public static final String ENV = "SPARSETUNING_APARAPI_DEVICE";
    /** Aparapi never accepts more work-items per group than this, whatever the device says. */
    public static final int MAX_LOCAL_SIZE = 256;

    private static final Logger LOG = Logger.getLogger(AparapiDevice.class.getName());
    private static List<OpenCLDevice> devices;
    private static AparapiUnavailableException discoveryFailure;

    private final OpenCLDevice device;
    private final int index;

    private AparapiDevice(OpenCLDevice device, int index) {
        this.device = device;
        this.index = index;
    }

    /** The device named by {@value #PROPERTY} / {@value #ENV}, or the default; throws with the reason if none. */
    public static AparapiDevice open() {
        String wanted = System.getProperty(PROPERTY, System.getenv(ENV));
        return open(wanted == null ? "" : wanted.trim());
    }

    /** As {@link #open()} with an explicit choice: "", an index, "gpu", "cpu" or "accelerator". */
    public static AparapiDevice open(String choice) {
        List<OpenCLDevice> all = listDevices();
        int index = pick(all, choice.toLowerCase(Locale.ROOT));
        AparapiDevice d = new AparapiDevice(all.get(index), index);
        LOG.info("Aparapi device #" + index + ": " + d.describe() + (choice.isEmpty() ? " (default choice)" : " (asked for '" + choice + "')"));
        return d;
    }

    /** Null when {@link #open()} would succeed, else why it would not (without opening or logging). */
    public static String unavailableReason() {
        String wanted = System.getProperty(PROPERTY, System.getenv(ENV));
        try {
            pick(listDevices(), wanted == null ? "" : wanted.trim().toLowerCase(Locale.ROOT));
            return null;
        } catch (AparapiUnavailableException e) {
            return e.getMessage();
        }
    }

    /** Every OpenCL device of every platform, in platform order; discovered once per JVM. */
    static synchronized List<OpenCLDevice> listDevices() {
        if (discoveryFailure != null) {
            throw discoveryFailure;
        }
        if (devices == null) {
            try {
                devices = List.copyOf(OpenCLDevice.listDevices(null));
            } catch (Throwable t) {
                // UnsatisfiedLinkError (no libOpenCL.so.1 or no Aparapi native for this OS/arch), or the
                // NoClassDefFoundError / ExceptionInInitializerError that follow it: all mean "no OpenCL".
                discoveryFailure = new AparapiUnavailableException("Aparapi could not load OpenCL on "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + t
                        + ". Install an OpenCL loader and driver (Debian: ocl-icd-libopencl1 pocl-opencl-icd).", t);
                throw discoveryFailure;
            }
            if (devices.isEmpty()) {
                discoveryFailure = new AparapiUnavailableException("no OpenCL platform with a device was found"
                        + " (no ICD registered in /etc/OpenCL/vendors, or its driver lists no device; check clinfo -l)."
                        + " Install one, e.g. pocl-opencl-icd for the CPU.");
                throw discoveryFailure;
            }
        }
        return devices;
    }

    private static int pick(List<OpenCLDevice> all, String choice) {
        if (choice.isEmpty()) {
            int gpu = firstOfType(all, Device.TYPE.GPU);
            return gpu >= 0 ? gpu : 0;
        }
        Device.TYPE type = null;
        switch (choice) {
            case "gpu": type = Device.TYPE.GPU; break;
            case "cpu": type = Device.TYPE.CPU; break;
            case "accelerator": type = Device.TYPE.ACC; break;
            default: break;
        }
        if (type != null) {
            int i = firstOfType(all, type);
            if (i < 0) {
                throw new AparapiUnavailableException("no OpenCL device of type " + type + " (" + PROPERTY + "=" + choice
                        + "); devices: " + list(all));
            }
            return i;
        }
        int i;
        try {
            i = Integer.parseInt(choice);
        } catch (NumberFormatException e) {
            throw new AparapiUnavailableException(PROPERTY + " must be a device index, gpu, cpu or accelerator, got '"
                    + choice + "'; devices: " + list(all));
        }
        if (i < 0 || i >= all.size()) {
            throw new AparapiUnavailableException(PROPERTY + "=" + i + " but there are " + all.size()
                    + " OpenCL devices: " + list(all));
        }
        return i;
    }

    private static int firstOfType(List<OpenCLDevice> all, Device.TYPE type) {
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).getType() == type) {
                return i;
            }
        }
        return -1;
    }

    private static String list(List<OpenCLDevice> all) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add("#" + i + " " + describe(all.get(i)));
        }
        return String.join("; ", s);
    }

    private static String describe(OpenCLDevice d) {
        return d.getOpenCLPlatform().getName() + " / " + d.getName() + " (" + d.getType()
                + ", max work-group " + d.getMaxWorkGroupSize() + ", local memory " + d.getLocalMemSize() / 1024 + " KiB)";
    }

    public String describe() {
        return describe(device);
    }

    /** Aparapi's handle, to bind kernels to. */
    public OpenCLDevice openCL() {
        return device;
    }

    /** Position in the list of all OpenCL devices. */
    public int index() {
        return index;
    }

    /** The OpenCL platform's name, e.g. "Portable Computing Language" or "NVIDIA CUDA". */
    public String platformName() {
        return device.getOpenCLPlatform().getName();
    }

    public String name() {
        return device.getName();
    }

    /**
     * The largest power-of-two work-group size this device takes that Aparapi also takes (at most
     * {@value #MAX_LOCAL_SIZE}; NVIDIA and AMD drivers fail or crash above it through Aparapi).
     */
    public int maxLocalSize() {
        int limit = Math.min(MAX_LOCAL_SIZE, device.getMaxWorkGroupSize());
        return Integer.highestOneBit(Math.max(1, limit));
    }

    @Override
    public String toString() {
        return "AparapiDevice#" + index + "[" + describe() + "]";
    }
}
