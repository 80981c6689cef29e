package org.sparsetuning.bench.fair;

import java.util.Arrays;
import java.util.List;

/**
 * When warm-up is over: the JIT (engine) and the allocator and thread pools (both sides) need a number of
 * calls that depends on the case and on the load, so a fixed count of warm-up calls under-warms some cases
 * (the first bench-model case took 2.34 s on its second call and 0.95 s later). Warm-up ends when the median
 * of the last {@code window} calls is within {@code tolerance} of the median of the {@code window} calls
 * before them, after at least {@code 2 * window} calls; it also ends, unsettled, after {@code maxCalls} calls
 * or {@code maxSeconds} of warm-up, which the report then says.
 */
public record SettleRule(int window, double tolerance, int maxCalls, double maxSeconds) {

    public SettleRule {
        if (window < 1 || maxCalls < 2 * window || !(tolerance > 0) || !(maxSeconds > 0)) {
            throw new IllegalArgumentException("settle rule: window >= 1, maxCalls >= 2 * window, tolerance and maxSeconds > 0");
        }
    }

    /** Whether the last two windows of these warm-up times (oldest first) agree. */
    public boolean settled(List<Double> times) {
        int n = times.size();
        if (n < 2 * window) {
            return false;
        }
        double last = median(times.subList(n - window, n));
        double before = median(times.subList(n - 2 * window, n - window));
        return Math.abs(last - before) <= tolerance * Math.min(last, before);
    }

    /** Whether warm-up must stop without having settled. */
    public boolean exhausted(int calls, double seconds) {
        return calls >= maxCalls || seconds >= maxSeconds;
    }

    private static double median(List<Double> w) {
        double[] t = w.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        int m = t.length / 2;
        return t.length % 2 == 1 ? t[m] : (t[m - 1] + t[m]) / 2;
    }
}
