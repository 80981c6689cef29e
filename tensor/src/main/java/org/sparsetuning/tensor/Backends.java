package org.sparsetuning.tensor;

import java.lang.reflect.Constructor;
import java.util.Locale;
import java.util.function.Supplier;
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
 * {@code reference} forces a choice; a forced {@code simd} that cannot run is an error, never a fallback.
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
        String property = System.getProperty("sparsetuning.backend");
        String requested = property != null ? property : System.getenv("SPARSETUNING_BACKEND");
        String source = property != null ? "-Dsparsetuning.backend" : "SPARSETUNING_BACKEND";
        return choose(requested, source, Backends::simdUnavailableReason, Backends::loadSimd);
    }

    /**
     * The CPU backend for a request ({@code null} when none was made). Without a request the SIMD backend is used
     * when it can be, else the reference one with a warning saying why. An explicit {@code simd} that cannot be
     * honoured is an error, not a quiet 10x slowdown: the user asked for that backend by name.
     *
     * @param source      where the request came from, for messages ({@code -Dsparsetuning.backend} or the env variable)
     * @param unavailable null when the Vector API is usable, else why not
     */
    static Backend choose(String requested, String source, Supplier<String> unavailable, Supplier<Backend> simd) {
        String wanted = requested == null || requested.isBlank() ? null : requested.strip().toLowerCase(Locale.ROOT);
        if (wanted != null && wanted.startsWith("ref")) {
            LOG.info("CPU backend: reference (requested by " + source + ")");
            return REFERENCE;
        }
        if (wanted != null && !wanted.equals("simd")) {
            throw new IllegalArgumentException(source + " must be simd or reference, got '" + requested + "'");
        }
        String why = unavailable.get();
        if (why == null) {
            try {
                return simd.get();
            } catch (RuntimeException | LinkageError e) {
                why = "it failed to load: " + e;
            }
        }
        if (wanted != null) {
            throw new IllegalStateException(source + "=simd asks for the SIMD backend, but it cannot be used: " + why
                    + " (set " + source + "=reference to run the scalar kernels instead)");
        }
        LOG.warning("CPU backend: reference, because the SIMD backend cannot be used: " + why);
        return REFERENCE;
    }

    private static Backend loadSimd() {
        try {
            Class<?> c = Class.forName("org.sparsetuning.tensor.cpu.simd.SimdBackend");
            Constructor<?> ctor = c.getConstructor();
            return (Backend) ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.toString(), e);
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
