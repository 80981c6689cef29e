package org.sparsetuning.tensor.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool every CPU kernel shares. Parallelism comes from system property
 * {@code sparsetuning.threads} (or env {@code SPARSETUNING_THREADS}), default the available processors.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(defaultThreads());

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

    private static ForkJoinPool newPool(int n) {
        return new ForkJoinPool(n, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("sparsetuning-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool with one of {@code n} threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.getParallelism()) {
            ForkJoinPool old = pool;
            pool = newPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs task over [0, n) in chunks of at least {@code grain} items, split across the pool. Runs inline
     * when the work is small or there is one thread, so small ops pay no scheduling cost.
     */
    public static void forRange(int n, int grain, RangeTask task) {
        if (n <= 0) {
            return;
        }
        ForkJoinPool p = pool;
        int threads = p.getParallelism();
        if (threads == 1 || n <= grain || java.util.concurrent.ForkJoinTask.getPool() == p) {
            task.run(0, n);
            return;
        }
        int chunks = Math.min(threads * 4, Math.max(1, n / Math.max(grain, 1)));
        p.invoke(new Chunk(task, 0, n, (n + chunks - 1) / chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeTask task;
        private final int lo;
        private final int hi;
        private final int size;

        Chunk(RangeTask task, int lo, int hi, int size) {
            this.task = task;
            this.lo = lo;
            this.hi = hi;
            this.size = size;
        }

        @Override
        protected void compute() {
            if (hi - lo <= size) {
                task.run(lo, hi);
                return;
            }
            int mid = lo + ((hi - lo) / size / 2) * size;
            if (mid <= lo) {
                mid = lo + size;
            }
            invokeAll(new Chunk(task, lo, mid, size), new Chunk(task, mid, hi, size));
        }
    }
}
