package org.sparsetuning.tensor.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A fixed team for data-parallel loops: the calling thread and {@code threads - 1} workers share one job's chunks
 * through an atomic counter, and the caller returns when every chunk has run.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: measured inside ViT-B (2 threads), the caller of
 * {@code invoke} only waits, so each call began with a parked worker waking (25-40 µs) and ended with the caller
 * waking (40-70 µs); the last thread joined a call about 170 µs after it began, and the pool ran three workers for
 * a parallelism of two. A batch-1 inference makes about 200 parallel calls of 0.4-0.7 ms, and the threads idled 39%
 * of their time inside them (14% in a batch-8 training step; see {@link TeamProfile}). Here the caller starts on
 * the first chunk at once, and a worker that has just finished spins for a short while ({@link #SPIN_NANOS})
 * before parking, so the next call, which in a model follows within microseconds, finds it awake.
 *
 * <p>One job runs at a time. A call made while another thread's job runs does not wait for it: it runs on its own
 * thread (as do calls from inside a chunk), so independent callers (Spark tasks in one executor, say) never
 * block one another.
 */
final class WorkerPool {
    /**
     * How long an idle worker (and a caller whose chunks are done) spins before parking: long enough to bridge
     * the gap between a model's consecutive parallel operations, short enough that a program that stops
     * computing gives the cores back at once. Overridable with {@code sparsetuning.spinMicros}.
     */
    static final long SPIN_NANOS = 1000L * Long.getLong("sparsetuning.spinMicros", 100);

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submit = new ReentrantLock();
    private volatile Job current;
    private volatile boolean shutdown;

    WorkerPool(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
    }

    int threads() {
        return threads;
    }

    /** Whether a call from this thread must run inline: it is a worker, or the caller of the running job. */
    private boolean insideJob() {
        return Thread.currentThread() instanceof Worker w && w.pool == this || submit.isHeldByCurrentThread();
    }

    /** Runs task over [0, n) in {@code chunks} contiguous chunks shared by the team. */
    void run(int n, int chunks, Parallel.RangeTask task) {
        if (chunks <= 1 || insideJob() || !submit.tryLock()) {
            task.run(0, n);
            return;
        }
        Job job = new Job(task, n, chunks, Thread.currentThread());
        try {
            startWorkers(Math.min(threads - 1, chunks - 1));
            current = job;
            for (Worker w : workers) {
                if (w != null && w.sleeping) {
                    LockSupport.unpark(w);
                }
            }
            job.work();
            job.awaitDone();
            if (job.timing != null) {
                job.timing.record(threads);
            }
        } finally {
            current = null;   // the finished job's task (and the arrays it captured) is not kept reachable
            submit.unlock();
        }
        job.rethrow();
    }

    /** Stops the workers once they finish what they are running. */
    void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * Workers start on first use, so a pool sized for many threads costs nothing until a job can use them; one
     * that died (an error outside any task, such as running out of memory while idle) is replaced.
     */
    private void startWorkers(int wanted) {
        for (int i = 0; i < wanted; i++) {
            if (workers[i] == null || !workers[i].isAlive()) {
                Worker w = new Worker(this, i + 1);
                workers[i] = w;
                w.start();
            }
        }
    }

    private static boolean spinUntil(BooleanSupplier done) {
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** One call's chunks: claimed through {@code next}, counted down in {@code left}. */
    private static final class Job {
        private final Parallel.RangeTask task;
        private final int n;
        private final int chunks;
        private final int size;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger left;
        private volatile Throwable failure;
        private volatile boolean callerParked;
        /** Only when the team is profiled: nothing is timed or allocated for it otherwise. */
        private final TeamProfile.Call timing = TeamProfile.ON ? new TeamProfile.Call() : null;

        Job(Parallel.RangeTask task, int n, int chunks, Thread caller) {
            this.task = task;
            this.n = n;
            this.chunks = chunks;
            this.size = (int) (((long) n + chunks - 1) / chunks);
            this.caller = caller;
            this.left = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none is left; after a failure the rest are skipped, not run. */
        void work() {
            boolean joined = false;
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int lo = (int) Math.min(n, (long) c * size);
                int hi = (int) Math.min(n, (long) lo + size);
                long start = timing != null ? timing.chunkStarts(!joined) : 0;
                joined = true;
                if (failure == null && lo < hi) {
                    try {
                        task.run(lo, hi);
                    } catch (Throwable t) {
                        synchronized (this) {
                            if (failure == null) {
                                failure = t;
                            }
                        }
                    }
                }
                if (timing != null) {
                    timing.chunkEnds(start);
                }
                if (left.decrementAndGet() == 0 && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        boolean done() {
            return left.get() == 0;
        }

        /** Spins briefly (a worker's last chunk usually ends within microseconds of the caller's), then parks. */
        void awaitDone() {
            if (spinUntil(this::done)) {
                return;
            }
            callerParked = true;
            while (!done()) {
                LockSupport.park(this);
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("a parallel task failed", t);
            }
        }
    }

    private static final class Worker extends Thread {
        private final WorkerPool pool;
        private volatile boolean sleeping;

        Worker(WorkerPool pool, int index) {
            super("sparsetuning-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (!pool.shutdown) {
                Job job = pool.current;
                if (job != seen) {
                    seen = job;
                    if (job != null) {
                        job.work();
                    }
                    continue;
                }
                Job last = seen;
                if (spinUntil(() -> pool.current != last || pool.shutdown)) {
                    continue;
                }
                // Publish that this worker sleeps, then look again: a caller that set a new job before reading
                // the flag is seen here, one that sets it after reads the flag and unparks.
                sleeping = true;
                if (pool.current == last && !pool.shutdown) {
                    LockSupport.park(this);
                }
                sleeping = false;
            }
        }
    }
}
