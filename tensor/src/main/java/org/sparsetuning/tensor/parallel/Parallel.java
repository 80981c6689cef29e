package org.sparsetuning.tensor.parallel;

/**
 * The one thread team every CPU kernel shares ({@link WorkerPool}: the calling thread and {@code threads - 1}
 * workers). The thread count comes from system property {@code sparsetuning.threads} (or env
 * {@code SPARSETUNING_THREADS}), default the available processors.
 */
public final class Parallel {
    private static volatile WorkerPool pool = new WorkerPool(defaultThreads());

    private Parallel() {
    }

    /** A range of work [lo, hi). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int lo, int hi);
    }

    private static int defaultThreads() {
        String v = System.getProperty("sparsetuning.threads", System.getenv("SPARSETUNING_THREADS"));
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sparsetuning.threads must be a positive integer, got '" + v + "'");
        }
    }

    /**
     * Turns the recording of the team's profile ({@code -Dsparsetuning.parallel.profile=true}) on or off; on by
     * default. A benchmark turns it off while it warms up, as it does the GEMM profile's.
     */
    public static void profileRecording(boolean on) {
        TeamProfile.recording(on);
    }

    public static int threads() {
        return pool.threads();
    }

    /** Replaces the team with one of {@code n} threads (the old workers stop after their current chunk). */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs task over [0, n) in at most {@code 4 x threads} contiguous chunks of at least {@code grain} items,
     * shared by the team (four per thread, so a thread slowed by other load leaves its share to the others).
     * Runs inline when the work is small, there is one thread, or the call comes from inside another call's
     * chunk, so small ops pay no scheduling cost and nested calls never wait on the team they run in.
     */
    public static void forRange(int n, int grain, RangeTask task) {
        if (n <= 0) {
            return;
        }
        WorkerPool p = pool;
        if (p.threads() == 1 || n <= grain) {
            task.run(0, n);
            return;
        }
        int chunks = Math.min(p.threads() * 4, Math.max(1, n / Math.max(grain, 1)));
        p.run(n, chunks, task);
    }
}
