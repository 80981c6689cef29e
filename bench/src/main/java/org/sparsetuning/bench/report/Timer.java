package org.sparsetuning.bench.report;

/**
 * Whole-operation timing for the report (JMH in the same module gives the careful per-kernel numbers): warm
 * up so the JIT has compiled the kernels, then the median of runs, taking at least minSeconds in all. The
 * Python peers are timed the same way (tools/bench/peers.py), so the ratios compare like with like.
 */
final class Timer {
    private Timer() {
    }

    static double median(Runnable op, double warmupSeconds, double minSeconds, int minRuns) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int warm = 0;
        while (warm < 3 || System.nanoTime() < warmEnd) {
            op.run();
            warm++;
        }
        double[] times = new double[400];
        int n = 0;
        long start = System.nanoTime();
        while (n < times.length && (n < minRuns || System.nanoTime() - start < minSeconds * 1e9)) {
            long t0 = System.nanoTime();
            op.run();
            times[n++] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(times, 0, n);
        return times[n / 2];
    }
}
