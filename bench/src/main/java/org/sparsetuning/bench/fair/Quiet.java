package org.sparsetuning.bench.fair;

import java.io.IOException;
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
 * <p>"Stopped" is read from /proc: a window in which the processes together accrue at most one clock tick of
 * CPU time. The wait is bounded; a machine busy with other work only costs the bound.
 */
public final class Quiet {
    private final LongSupplier cpuTicks;
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

    public Quiet(LongSupplier cpuTicks, Sleeper sleeper, long windowMillis, long maxMillis) {
        this.cpuTicks = cpuTicks;
        this.sleeper = sleeper;
        this.windowMillis = windowMillis;
        this.maxMillis = maxMillis;
    }

    /** Quiet for this JVM and the given peer processes (their pids), read from /proc/PID/stat. */
    public static Quiet of(List<Long> peerPids) {
        List<Long> pids = new ArrayList<>(peerPids);
        pids.add(ProcessHandle.current().pid());
        return new Quiet(() -> pids.stream().mapToLong(Quiet::ticks).sum(), Quiet::sleepQuietly, 20, 1000);
    }

    /** Never waits (tests of the turn order, machines without /proc). */
    public static Quiet none() {
        return new Quiet(() -> 0, ms -> { }, 0, 0);
    }

    /** Returns once a window passes with at most one tick of CPU time, or after the bound. */
    public void await() {
        if (maxMillis == 0) {
            return;
        }
        long waited = 0;
        long before = cpuTicks.getAsLong();
        while (waited < maxMillis) {
            sleeper.sleep(windowMillis);
            waited += windowMillis;
            long after = cpuTicks.getAsLong();
            if (after - before <= 1) {
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

    /** utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat), 0 when unreadable. */
    static long ticks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The fields after the command name, which is in parentheses and may itself hold spaces or ')'. */
    static long parseTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field 14 (utime) is f[11] and field 15 (stime) f[12].
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
