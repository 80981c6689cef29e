package org.sparsetuning.tensor.parallel;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How well the team's threads are used (off unless {@code -Dsparsetuning.parallel.profile=true}), printed to stderr
 * at exit: calls, their wall time, the share of the threads' time inside those calls spent running chunks, how
 * many threads ran a chunk of a call, and how long after a call began its last thread started. What the profile
 * leaves over (threads x wall - busy) is time the threads waited: for each other, for a worker to wake, or on
 * an uneven split.
 */
final class TeamProfile {
    static final boolean ON = Boolean.getBoolean("sparsetuning.parallel.profile");
    /** Off while a benchmark warms up ({@link Parallel#profileRecording}), so the profile shows steady-state calls. */
    private static volatile boolean recording = true;
    private static final LongAdder CALLS = new LongAdder();
    private static final LongAdder WALL = new LongAdder();
    private static final LongAdder BUSY = new LongAdder();
    private static final LongAdder RUNNERS = new LongAdder();
    private static final LongAdder LAST_JOIN = new LongAdder();
    private static final LongAdder LEFT_OUT = new LongAdder();
    private static volatile int threads;

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(TeamProfile::print, "parallel-profile"));
        }
    }

    private TeamProfile() {
    }

    /**
     * One call's timing: when it began, chunk time summed over threads, threads that ran a chunk, and when the last
     * of them began. A thread updates it before its chunk counts down, so the caller sees every update.
     */
    static final class Call {
        private final long t0 = System.nanoTime();
        private final AtomicLong busy = new AtomicLong();
        private final AtomicInteger runners = new AtomicInteger();
        private final AtomicLong lastJoin = new AtomicLong();

        /** A chunk begins now ({@code firstOfThread}: this thread's first chunk of the call); returns the time. */
        long chunkStarts(boolean firstOfThread) {
            long now = System.nanoTime();
            if (firstOfThread) {
                runners.incrementAndGet();
                lastJoin.accumulateAndGet(now - t0, Math::max);
            }
            return now;
        }

        void chunkEnds(long start) {
            busy.addAndGet(System.nanoTime() - start);
        }

        /** The call is over: adds it to the profile of a team of {@code threads}. */
        void record(int threads) {
            TeamProfile.record(threads, System.nanoTime() - t0, busy.get(), runners.get(), lastJoin.get());
        }
    }

    static void recording(boolean on) {
        recording = on;
    }

    /** One call on a team of {@code teamThreads}: wall, chunk time summed over threads, threads that ran a chunk. */
    private static void record(int teamThreads, long wallNanos, long busyNanos, int runners, long lastJoinNanos) {
        if (!recording) {
            LEFT_OUT.increment();
            return;
        }
        threads = teamThreads;
        CALLS.increment();
        WALL.add(wallNanos);
        BUSY.add(busyNanos);
        RUNNERS.add(runners);
        LAST_JOIN.add(lastJoinNanos);
    }

    private static void print() {
        double calls = Math.max(1, CALLS.sum());
        double wall = WALL.sum();
        System.err.printf(Locale.ROOT, "Parallel team profile (%d threads): %d calls, %.3f s inside them; threads busy"
                        + " %.1f%% of threads x wall; per call: %.1f us wall, %.2f threads ran a chunk, the last began"
                        + " %.1f us after the call%n", threads, CALLS.sum(), wall / 1e9,
                100 * BUSY.sum() / Math.max(1, wall * threads), wall / calls / 1e3, RUNNERS.sum() / calls,
                LAST_JOIN.sum() / calls / 1e3);
        if (LEFT_OUT.sum() > 0) {
            System.err.printf(Locale.ROOT, "  (%d calls made while recording was off, such as a benchmark's warm-ups,"
                    + " are left out)%n", LEFT_OUT.sum());
        }
    }
}
