package org.sparsetuning.bench.report;

import java.util.Arrays;

/**
 * Whole-operation timing for the report (JMH in the same module gives the careful per-kernel numbers).
 * Warm-up runs until the JIT has settled: Vector API code is hundreds of times slower before C2 compiles
 * it, and on a loaded machine that can take seconds, so a fixed warm-up would time the interpreter. Then
 * the median of runs taking at least minSeconds in all. The Python peers are timed the same way
 * (tools/bench/peers.py), so the ratios compare like with like.
 */
final class Timer {
    private static final int WINDOW = 5;

    private Timer() {
    }

    static double median(Runnable op, double warmupSeconds, double minSeconds, int minRuns) {
        long start = System.nanoTime();
        double best = Double.MAX_VALUE;
        // Warm up in windows: stop once a window's median is no better than 3% over the best seen, after
        // the minimum warm-up, or after 20 x that minimum whatever happens.
        while (true) {
            double m = window(op, WINDOW);
            double elapsed = (System.nanoTime() - start) / 1e9;
            boolean settled = m >= best * 0.97;
            best = Math.min(best, m);
            if ((settled && elapsed >= warmupSeconds) || elapsed >= 20 * warmupSeconds) {
                break;
            }
        }
        double[] times = new double[400];
        int n = 0;
        long t = System.nanoTime();
        while (n < times.length && (n < minRuns || System.nanoTime() - t < minSeconds * 1e9)) {
            long t0 = System.nanoTime();
            op.run();
            times[n++] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times, 0, n);
        return times[n / 2];
    }

    private static double window(Runnable op, int runs) {
        double[] w = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            op.run();
            w[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(w);
        return w[runs / 2];
    }
}
