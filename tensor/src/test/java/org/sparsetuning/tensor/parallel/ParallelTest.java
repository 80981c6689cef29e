package org.sparsetuning.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The thread team behind every parallel kernel: coverage, failures, nesting, concurrent callers, resizing. */
class ParallelTest {
    private static final int DEFAULT_THREADS = Parallel.threads();
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @AfterEach
    void restore() {
        Parallel.setThreads(DEFAULT_THREADS);
    }

    /** Runs forRange over [0, n) and returns how many times each index was visited. */
    private static int[] visits(int n, int grain) {
        int[] seen = new int[n];
        Parallel.forRange(n, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                seen[i]++;   // plain writes: the caller must see them after forRange returns
            }
        });
        return seen;
    }

    @Test
    void everyIndexRunsExactlyOnceForAnySizeGrainAndThreadCount() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Random r = new Random(7);
            for (int threads : new int[] {1, 2, 3, 5, 8}) {
                Parallel.setThreads(threads);
                for (int trial = 0; trial < 300; trial++) {
                    int n = trial < 20 ? trial : 1 + r.nextInt(trial % 3 == 0 ? 100_000 : 300);
                    int grain = 1 + r.nextInt(trial % 2 == 0 ? 4 : 5000);
                    int[] seen = visits(n, grain);
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, seen[i], "index " + i + " of " + n + ", grain " + grain + ", " + threads + " threads");
                    }
                }
            }
        });
    }

    @Test
    void aRangeNearTheLargestIntIsCutWithoutOverflow() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(3);
            int n = Integer.MAX_VALUE - 1;
            java.util.List<int[]> pieces = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Parallel.forRange(n, 1, (lo, hi) -> pieces.add(new int[] {lo, hi}));
            pieces.sort(java.util.Comparator.comparingInt(p -> p[0]));
            int next = 0;
            for (int[] p : pieces) {
                assertEquals(next, p[0], "pieces must tile [0, n) in order");
                assertTrue(p[1] > p[0] && p[1] <= n, "piece [" + p[0] + ", " + p[1] + ")");
                next = p[1];
            }
            assertEquals(n, next);
        });
    }

    @Test
    void aChunkRunsOnTheCallerOrOneOfThePoolsThreadsAndNoMore() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(3);
            Thread caller = Thread.currentThread();
            for (int trial = 0; trial < 200; trial++) {
                Set<Thread> runners = ConcurrentHashMap.newKeySet();
                Parallel.forRange(1000, 1, (lo, hi) -> {
                    runners.add(Thread.currentThread());
                    busy(20_000);
                });
                assertTrue(runners.size() <= 3, "at most 3 threads: " + runners);
                for (Thread t : runners) {
                    assertTrue(t == caller || t.getName().startsWith("sparsetuning-"), t.getName());
                }
            }
        });
    }

    @Test
    void aTasksExceptionReachesTheCallerAndTheTeamStillWorks() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(2);
            for (int trial = 0; trial < 50; trial++) {
                int bad = trial * 7 % 1000;
                IllegalStateException thrown = new IllegalStateException("chunk with " + bad);
                IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                        Parallel.forRange(1000, 1, (lo, hi) -> {
                            if (lo <= bad && bad < hi) {
                                throw thrown;
                            }
                        }));
                assertSame(thrown, e);
                int[] seen = visits(1000, 1);
                for (int v : seen) {
                    assertEquals(1, v);
                }
            }
            AssertionError error = new AssertionError("an Error passes unchanged too");
            assertSame(error, assertThrows(AssertionError.class,
                    () -> Parallel.forRange(100, 1, (lo, hi) -> {
                        throw error;
                    })));
        });
    }

    @Test
    void nestedCallsRunInsideTheChunkThatMakesThem() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(2);
            int n = 64;
            int[][] seen = new int[n][n];
            Parallel.forRange(n, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    int row = i;
                    Thread outer = Thread.currentThread();
                    Parallel.forRange(n, 1, (lo2, hi2) -> {
                        assertSame(outer, Thread.currentThread(), "a nested call runs on the thread that made it");
                        for (int j = lo2; j < hi2; j++) {
                            seen[row][j]++;
                        }
                    });
                }
            });
            for (int[] row : seen) {
                for (int v : row) {
                    assertEquals(1, v);
                }
            }
        });
    }

    @Test
    void callersOnSeveralThreadsAllFinishWithTheirOwnResults() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(2);
            int callers = 4;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            Thread[] ts = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                int id = c;
                ts[c] = new Thread(() -> {
                    try {
                        start.await();
                        Random r = new Random(id);
                        for (int k = 0; k < 400; k++) {
                            int n = 1 + r.nextInt(5000);
                            long[] sums = new long[1];
                            AtomicInteger count = new AtomicInteger();
                            Parallel.forRange(n, 1 + r.nextInt(64), (lo, hi) -> {
                                count.addAndGet(hi - lo);
                                synchronized (sums) {
                                    for (int i = lo; i < hi; i++) {
                                        sums[0] += i;
                                    }
                                }
                            });
                            assertEquals(n, count.get());
                            assertEquals((long) n * (n - 1) / 2, sums[0]);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                ts[c].start();
            }
            start.countDown();
            for (Thread t : ts) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a concurrent caller failed", failure.get());
            }
        });
    }

    @Test
    void aCallerWaitsForAChunkThatOutlastsItsSpin() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Parallel.setThreads(2);
            Thread caller = Thread.currentThread();
            int workerChunks = 0;
            for (int trial = 0; trial < 20; trial++) {
                AtomicInteger done = new AtomicInteger();
                AtomicReference<Thread> workerRan = new AtomicReference<>();
                Parallel.forRange(2, 1, (lo, hi) -> {
                    if (Thread.currentThread() == caller) {
                        // Hold the caller's chunk until the worker has taken the other one (or a second has
                        // passed), so the worker's chunk is the one still running when the caller runs out.
                        long end = System.nanoTime() + 1_000_000_000L;
                        while (workerRan.get() == null && System.nanoTime() < end) {
                            Thread.onSpinWait();
                        }
                    } else {
                        workerRan.set(Thread.currentThread());
                        sleep(5);   // far past the caller's spin: the caller must park and be woken
                    }
                    done.incrementAndGet();
                });
                assertEquals(2, done.get(), "forRange returned before every chunk had run");
                workerChunks += workerRan.get() != null ? 1 : 0;
            }
            assertTrue(workerChunks > 0, "the worker never took a chunk");
        });
    }

    @Test
    void resizingStopsTheOldWorkers() throws InterruptedException {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int threads : new int[] {4, 3, 2}) {
                Parallel.setThreads(threads);
                visits(10_000, 1);
            }
            Parallel.setThreads(1);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (aliveWorkers() > 0 && System.nanoTime() < deadline) {
                sleep(10);
            }
            assertEquals(0, aliveWorkers(), "workers of replaced teams still alive");
            assertEquals(1, visits(5, 1)[4]);
        });
    }

    @Test
    void aNonPositiveThreadCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }

    private static int aliveWorkers() {
        int alive = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("sparsetuning-")) {
                alive++;
            }
        }
        return alive;
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
