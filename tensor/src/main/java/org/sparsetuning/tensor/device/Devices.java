package org.sparsetuning.tensor.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.DeviceUnavailableException.Reason;

/**
 * Chooses devices by name. A spec is {@code cpu}, or a provider's kind with an optional index:
 * {@code opencl} (= {@code opencl:0}), {@code opencl:1}. Nothing falls back: asking for a device that cannot
 * be opened throws {@link DeviceUnavailableException} with the reason, and the CPU is used only when asked
 * for (or when no default is configured).
 *
 * <p>The default device ({@link #defaultDevice()}) comes from the system property {@code sparsetuning.device},
 * else the environment variable {@code SPARSETUNING_DEVICE}, else {@code cpu}.
 */
public final class Devices {
    static final String CPU_NAME = "cpu";
    /** The kinds this project ships providers for, named in errors even when their jar is absent. */
    private static final List<String> KNOWN_KINDS = List.of("opencl");
    private static final Logger LOG = Logger.getLogger(Devices.class.getName());
    private static final Map<String, Device> OPEN = new ConcurrentHashMap<>();
    private static volatile Device cpu;

    private Devices() {
    }

    /** The host: heap storages and the CPU backend in use ({@link Backends#cpu()}). */
    public static Device cpu() {
        Device d = cpu;
        if (d == null || d.backend() != Backends.cpu()) {
            d = new Device(CPU_NAME, Backends.cpu(), "host, " + Backends.cpu().name() + " backend");
            cpu = d;
        }
        return d;
    }

    /** The device named by {@code sparsetuning.device} / {@code SPARSETUNING_DEVICE}, or the CPU. */
    public static Device defaultDevice() {
        String spec = System.getProperty("sparsetuning.device");
        if (spec == null || spec.isBlank()) {
            spec = System.getenv("SPARSETUNING_DEVICE");
        }
        return spec == null || spec.isBlank() ? cpu() : select(spec);
    }

    /**
     * The device a spec names, opening it on first use.
     *
     * @throws IllegalArgumentException if the spec is malformed
     * @throws DeviceUnavailableException if the kind is unknown, its provider is not on the class path, or the
     *         provider cannot open the device
     */
    public static Device select(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("device spec is empty: expected cpu or opencl[:N]");
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        int index = colon < 0 ? 0 : parseIndex(spec, s.substring(colon + 1));
        if (kind.equals(CPU_NAME)) {
            if (colon >= 0) {
                throw new IllegalArgumentException("device spec '" + spec + "': the CPU takes no index, write cpu");
            }
            return cpu();
        }
        String name = kind + ":" + index;
        Device open = OPEN.get(name);
        if (open != null) {
            return open;
        }
        synchronized (Devices.class) {
            open = OPEN.get(name);
            if (open == null) {
                open = openNew(spec, kind, index, name);
            }
            return open;
        }
    }

    private static int parseIndex(String spec, String digits) {
        try {
            int i = Integer.parseInt(digits);
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("device spec '" + spec + "': the index after ':' must be a non-negative integer");
    }

    private static Device openNew(String spec, String kind, int index, String name) {
        DeviceProvider provider = null;
        List<String> kinds = new ArrayList<>();
        for (DeviceProvider p : providers()) {
            kinds.add(p.kind());
            if (p.kind().equals(kind)) {
                provider = p;
            }
        }
        if (provider == null) {
            if (KNOWN_KINDS.contains(kind)) {
                throw new DeviceUnavailableException(Reason.NO_PROVIDER, "device '" + spec + "': no provider for kind '" + kind
                        + "' on the class path (the " + kind + "-kernels jar, org.sparsetuning:" + kind + "-kernels, is missing)");
            }
            throw new DeviceUnavailableException(Reason.NO_PROVIDER, "device '" + spec + "': unknown kind '" + kind
                    + "'; expected cpu or opencl[:N] (providers on the class path: " + (kinds.isEmpty() ? "none" : kinds) + ")");
        }
        Device d = provider.open(index);
        if (!d.name().equals(name)) {
            throw new IllegalStateException("provider " + provider.getClass().getName() + " opened " + d.name() + " when asked for " + name);
        }
        Backends.register(name, d.backend());
        OPEN.put(name, d);
        LOG.info("opened device " + d);
        return d;
    }

    private static List<DeviceProvider> providers() {
        List<DeviceProvider> out = new ArrayList<>();
        try {
            for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class)) {
                out.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new DeviceUnavailableException(Reason.NO_PROVIDER, "a device provider on the class path failed to load: " + e.getMessage(), e);
        }
        return out;
    }

    /** The device a tensor's storage lives on. */
    public static Device of(Tensor t) {
        String name = t.storage().device();
        if (name.equals(CPU_NAME)) {
            return cpu();
        }
        Device d = OPEN.get(name);
        if (d == null) {
            throw new IllegalStateException("tensor on device " + name + ", which was not opened through Devices.select");
        }
        return d;
    }
}
