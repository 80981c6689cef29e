package org.sparsetuning.tensor;

import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.logging.Logger;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;

/**
 * Chooses the kernels for a computation. CPU tensors go to the CPU backend picked at start-up: the SIMD one
 * when the Vector API is usable, otherwise the scalar reference, with one log line saying why. F64 tensors
 * always use the reference (they exist for gradient checks). Tensors on another device go to that device's
 * backend, registered with {@link #register}.
 *
 * <p>System property {@code sparsetuning.backend} (or env {@code SPARSETUNING_BACKEND}) = {@code simd} or
 * {@code reference} forces a choice.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static final Backend REFERENCE = new ReferenceBackend();
    private static volatile Backend cpu;
    private static final java.util.Map<String, Backend> DEVICES = new java.util.concurrent.ConcurrentHashMap<>();

    private Backends() {
    }

    public static Backend reference() {
        return REFERENCE;
    }

    /** The CPU backend in use. */
    public static Backend cpu() {
        Backend b = cpu;
        if (b == null) {
            synchronized (Backends.class) {
                if (cpu == null) {
                    cpu = chooseCpu();
                }
                b = cpu;
            }
        }
        return b;
    }

    /** Overrides the CPU backend (tests, benchmarks). */
    public static void setCpu(Backend b) {
        cpu = b;
    }

    public static void register(String device, Backend b) {
        DEVICES.put(device, b);
    }

    public static Backend of(Tensor t) {
        String device = t.storage().device();
        if (!"cpu".equals(device)) {
            Backend b = DEVICES.get(device);
            if (b == null) {
                throw new IllegalStateException("no backend registered for device " + device + " (devices are opened with Devices.select)");
            }
            return b;
        }
        return t.dtype() == DType.F64 ? REFERENCE : cpu();
    }

    public static Backend of(Tensor a, Tensor b) {
        String da = a.storage().device();
        String db = b.storage().device();
        if (!da.equals(db)) {
            throw new IllegalArgumentException("tensors on different devices: " + da + " and " + db
                    + " (move one with Tensor.to(Device); nothing is copied implicitly)");
        }
        return a.dtype() == DType.F64 || b.dtype() == DType.F64 ? of(a.dtype() == DType.F64 ? a : b) : of(a);
    }

    private static Backend chooseCpu() {
        String wanted = System.getProperty("sparsetuning.backend", System.getenv().getOrDefault("SPARSETUNING_BACKEND", "simd"))
                .toLowerCase(Locale.ROOT);
        if (wanted.startsWith("ref")) {
            LOG.info("CPU backend: reference (requested)");
            return REFERENCE;
        }
        if (!wanted.equals("simd")) {
            throw new IllegalArgumentException("sparsetuning.backend must be simd or reference, got " + wanted);
        }
        String why = simdUnavailableReason();
        if (why != null) {
            LOG.warning("CPU backend: reference, because the SIMD backend cannot be used: " + why);
            return REFERENCE;
        }
        try {
            Class<?> c = Class.forName("org.sparsetuning.tensor.cpu.simd.SimdBackend");
            Constructor<?> ctor = c.getConstructor();
            return (Backend) ctor.newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warning("CPU backend: reference, because the SIMD backend failed to load: " + e);
            return REFERENCE;
        }
    }

    /** Null when the Vector API can be used at full speed, else the reason it cannot. */
    static String simdUnavailableReason() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not readable (run the JVM with --add-modules jdk.incubator.vector)";
        }
        String vm = System.getProperty("java.vm.name", "");
        if (vm.contains("Client")) {
            return "this is a client VM without the C2 compiler (" + vm + ")";
        }
        try {
            Class<?> mf = Class.forName("java.lang.management.ManagementFactory");
            Object args = mf.getMethod("getRuntimeMXBean").invoke(null);
            @SuppressWarnings("unchecked")
            java.util.List<String> in = (java.util.List<String>) args.getClass().getMethod("getInputArguments").invoke(args);
            for (String a : in) {
                if (a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4")) {
                    return "C2 is disabled by " + a + " (the Vector API runs ~250x slower without it)";
                }
                if (a.equals("-Xint")) {
                    return "the JIT is disabled by -Xint";
                }
                if (a.equals("-XX:+UseJVMCICompiler")) {
                    return "a JVMCI compiler replaces C2 and does not intrinsify the Vector API";
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // java.management absent: nothing more to check, the module test above already passed.
        }
        return null;
    }
}
