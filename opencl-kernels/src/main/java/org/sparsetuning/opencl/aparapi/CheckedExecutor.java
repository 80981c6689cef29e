package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.internal.kernel.KernelManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs Aparapi kernels on one explicitly chosen OpenCL device and checks, after every execution, that they
 * really ran there. Aparapi's contract is "run somewhere": when a kernel cannot be translated, built or
 * launched it logs a warning and runs the Java code on a thread pool. Here that is an
 * {@link AparapiFallbackException} naming the kernel and the reason Aparapi logged, and the result is never
 * handed out.
 *
 * <p>Kernels are adopted once, live as long as this executor and are disposed once, by {@link #close()}.
 * They are never {@code compile()}d ahead (compile() followed by dispose() crashed the JVM in 3 of 12 runs
 * here); the first execution compiles them. Every kernel uses explicit buffer management
 * ({@code setExplicit(true)}): the host decides with put/get what crosses the bus, so data such as weights
 * stays on the device between executions. Not thread-safe: one executor per thread. All executors of a
 * JVM must use the same device, because Aparapi binds devices per kernel class.
 */
public final class CheckedExecutor implements AutoCloseable {
    /** The device each kernel class is bound to: Aparapi keeps device preferences per class, not per instance. */
    private static final Map<Class<?>, Device> BOUND = new ConcurrentHashMap<>();

    private final AparapiDevice device;
    private final Set<Kernel> adopted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Kernel> executed = new ArrayList<>();
    private boolean closed;

    public CheckedExecutor(AparapiDevice device) {
        this.device = device;
    }

    public AparapiDevice device() {
        return device;
    }

    /**
     * Translates the kernel to OpenCL now (refusing it with Aparapi's reason if it cannot be), binds it to
     * this executor's device, and switches it to explicit buffer management.
     */
    public <K extends Kernel> K adopt(K kernel) {
        KernelTranslation.openCL(kernel);
        return bind(kernel);
    }

    /** Binds without translating first: only the check after execution guards such a kernel (tests use it). */
    // Aparapi deprecated execution modes in favour of device preferences, yet still obeys the property.
    @SuppressWarnings("deprecation")
    <K extends Kernel> K bind(K kernel) {
        checkOpen();
        if (kernel.getExecutionMode() != Kernel.EXECUTION_MODE.AUTO) {
            // Any other mode makes Aparapi ignore the device binding below and pick by the legacy rules.
            throw new IllegalStateException("Aparapi kernel " + kernel.getClass().getSimpleName() + " is in execution mode "
                    + kernel.getExecutionMode() + " (system property com.aparapi.executionMode?); this engine binds"
                    + " kernels to a device itself and needs AUTO: unset the property");
        }
        Device previous = BOUND.putIfAbsent(kernel.getClass(), device.openCL());
        if (previous != null && !previous.equals(device.openCL())) {
            throw new IllegalStateException("Aparapi binds devices per kernel class, JVM-wide, and "
                    + kernel.getClass().getSimpleName() + " is already bound to " + previous.getShortDescription()
                    + "; one JVM can run these kernels on one device only, not also on " + device.describe());
        }
        kernel.setExplicit(true);
        LinkedHashSet<Device> only = new LinkedHashSet<>();
        only.add(device.openCL());
        KernelManager.instance().setPreferredDevices(kernel, only);
        adopted.add(kernel);
        return kernel;
    }

    /** Executes an adopted kernel over the range and throws unless it ran on this executor's device. */
    public void execute(Kernel kernel, Range range) {
        checkOpen();
        if (!adopted.contains(kernel)) {
            throw new IllegalArgumentException("kernel " + kernel.getClass().getSimpleName() + " was not adopted by this executor");
        }
        Class<?> type = kernel.getClass();
        // A class that left the device once is refused before it runs: Aparapi keeps failing it (silently,
        // for a class whose OpenCL generation failed) and its Java fallback would run first.
        String earlier = KernelTranslation.knownFailure(type);
        if (earlier != null) {
            throw new AparapiFallbackException(type, "it failed earlier in this JVM: " + earlier);
        }
        String notHere = whyNotOnDevice(kernel);
        if (notHere != null) {
            throw new AparapiFallbackException(type, notHere);
        }
        // Counted before executing: a failed first execution may still have created native state.
        if (!executedBefore(kernel)) {
            executed.add(kernel);
        }
        FallbackLog.start();
        RuntimeException failure = null;
        List<String> warnings;
        try {
            kernel.execute(range);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            warnings = FallbackLog.stop();
        }
        notHere = whyNotOnDevice(kernel);
        if (notHere != null) {
            // Whatever the Java fallback computed, or the exception it threw (an unguarded index past n,
            // say), is not a device result: report the fallback and its cause instead.
            String why = warnings.isEmpty()
                    ? notHere + " (Aparapi logged no reason; com.aparapi.logLevel may hide its warnings)"
                    : notHere + "; Aparapi said: " + String.join(" | ", warnings);
            KernelTranslation.recordFailure(type, why);
            AparapiFallbackException e = new AparapiFallbackException(type, why);
            if (failure != null) {
                e.initCause(failure);
            }
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("Aparapi kernel " + type.getSimpleName() + " failed on " + device.describe(), failure);
        }
    }

    private boolean executedBefore(Kernel kernel) {
        for (Kernel k : executed) {
            if (k == kernel) {
                return true;
            }
        }
        return false;
    }

    /** The kernels that executed at least once, in order of their first execution. */
    List<Kernel> executedKernels() {
        return List.copyOf(executed);
    }

    /** Null if Aparapi will run (or ran) the kernel on our device, else where it went instead. */
    private String whyNotOnDevice(Kernel kernel) {
        Device target = kernel.getTargetDevice();
        if (!kernel.isRunningCL() || !device.openCL().equals(target)) {
            return "its target became " + (target == null ? "Aparapi's Java thread pool" : target.getShortDescription())
                    + " instead of " + device.describe();
        }
        return null;
    }

    /** A 1-D range of at least n items in groups of the largest allowed power of two. */
    public Range linear(int n) {
        int local = device.maxLocalSize();
        return Range.create(roundUp(n, local), local);
    }

    /** One group of {@code groupSize} items (a power of two ≤ 256) per unit of work, e.g. per matrix row. */
    public Range groups(int count, int groupSize) {
        checkLocal(groupSize);
        return Range.create(Math.multiplyExact(count, groupSize), groupSize);
    }

    /** A 2-D range covering nx × ny in tiles of tx × ty (tx·ty ≤ 256). */
    public Range grid(int nx, int ny, int tx, int ty) {
        checkLocal(tx * ty);
        return Range.create2D(roundUp(nx, tx), roundUp(ny, ty), tx, ty);
    }

    private void checkLocal(int items) {
        if (items < 1 || Integer.bitCount(items) != 1 || items > device.maxLocalSize()) {
            throw new IllegalArgumentException("work-group of " + items + " items: must be a power of two ≤ "
                    + device.maxLocalSize() + " on " + device.describe());
        }
    }

    static int roundUp(int n, int multiple) {
        if (n < 1) {
            throw new IllegalArgumentException("a kernel range needs at least one item, got " + n);
        }
        return Math.multiplyExact((n + multiple - 1) / multiple, multiple);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Aparapi executor was closed");
        }
    }

    /** Disposes every kernel that executed, once; kernels that never ran hold no native resources. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Kernel k : executed) {
            k.dispose();
        }
        executed.clear();
        adopted.clear();
    }
}
