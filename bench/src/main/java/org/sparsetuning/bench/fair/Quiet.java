package org.sparsetuning.bench.fair;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Waits before each timed turn until the processes that take turns (this JVM and the peers) have stopped using
 * the CPU. Without it the side that runs second pays for the first one's tail: OpenBLAS's worker threads spin
 * at a full core for about 0.1 s after each call before they sleep (measured here: 105 ms after a numpy GEMM),
 * and numpy and PyTorch both run on OpenBLAS's pthreads, so in 50 ms kernel blocks the engine measured about
 * half its speed whenever it ran right after a peer (2-thread GEMM on ViT-B shapes: 95 GFLOP/s after a peer,
 * 167 GFLOP/s alone, same session).
 * The JVM's own tail (JIT compilation, concurrent GC) would likewise fall on a peer.
 *
 * <p>"Stopped" is read from /proc: a window in which the processes' threads together ran for at most a tenth of
 * the window ({@code /proc/PID/task/TID/schedstat}, nanoseconds on a CPU). Clock ticks ({@code /proc/PID/stat})
 * are too coarse for this: a thread spinning through a 20 ms window often shows a single 10 ms tick, and with
 * them a peer's next turn still began beside the last peer's spinning thread. The wait is bounded; a machine busy
 * with other work only costs the bound.
 */
public final class Quiet {
    private final LongSupplier cpuNanos;
    private final Sleeper sleeper;
    private final long windowMillis;
    private final long maxMillis;
    private long waits;
    private long timeouts;

    /** How the wait sleeps (a test passes one that advances a scripted clock). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis);
    }

    /** @param cpuNanos the processes' CPU time so far, in nanoseconds */
    public Quiet(LongSupplier cpuNanos, Sleeper sleeper, long windowMillis, long maxMillis) {
        this.cpuNanos = cpuNanos;
        this.sleeper = sleeper;
        this.windowMillis = windowMillis;
        this.maxMillis = maxMillis;
    }

    /** Quiet for this JVM and the given peer processes (their pids), read from their threads' schedstat. */
    public static Quiet of(List<Long> peerPids) {
        List<Long> pids = new ArrayList<>(peerPids);
        pids.add(ProcessHandle.current().pid());
        // The waiting thread's own time (reading /proc for some forty JVM threads: about 1 ms a window) is left
        // out, or it alone would keep the machine from looking idle.
        ThreadMXBean self = ManagementFactory.getThreadMXBean();
        return new Quiet(() -> pids.stream().mapToLong(Quiet::cpuNanos).sum() - self.getCurrentThreadCpuTime(),
                Quiet::sleepQuietly, 20, 1000);
    }

    /** Never waits (tests of the turn order, machines without /proc). */
    public static Quiet none() {
        return new Quiet(() -> 0, ms -> { }, 0, 0);
    }

    /** Returns once a window passes in which the processes ran for at most a tenth of it, or after the bound. */
    public void await() {
        if (maxMillis == 0) {
            return;
        }
        long waited = 0;
        long idle = windowMillis * 1_000_000 / 10;
        long before = cpuNanos.getAsLong();
        while (waited < maxMillis) {
            sleeper.sleep(windowMillis);
            waited += windowMillis;
            long after = cpuNanos.getAsLong();
            if (after - before <= idle) {
                waits++;
                return;
            }
            before = after;
        }
        timeouts++;
    }

    /** How often the bound was reached instead of an idle window (the report prints it). */
    public String describe() {
        return String.format(Locale.ROOT, "turns began on idle processes %d times, after the %d ms bound %d times",
                waits, maxMillis, timeouts);
    }

    /** Nanoseconds the threads of a process have run so far (0 when unreadable: a process that ended). */
    static long cpuNanos(long pid) {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    sum += parseSchedstat(Files.readString(t.resolve("schedstat")));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process ended (or there is no /proc): what was read so far
        }
        return sum;
    }

    /** The first field of a schedstat line: time spent on a CPU, in nanoseconds. */
    static long parseSchedstat(String line) {
        return Long.parseLong(line.trim().split(" ")[0]);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
