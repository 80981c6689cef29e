package org.sparsetuning.bench.fair;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Median and spread of repeated timings. The spread is the interquartile range over the median: unlike
 * min..max it ignores the one repetition another job on the shared machine happened to slow down, and unlike
 * a standard deviation it does not assume the times are normally distributed (they are skewed to the right).
 */
public record Stats(double median, double q1, double q3, int n) {

    public static Stats of(List<Double> times) {
        if (times.isEmpty()) {
            throw new IllegalArgumentException("no timings to summarise");
        }
        double[] t = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(t);
        return new Stats(quantile(t, 0.5), quantile(t, 0.25), quantile(t, 0.75), t.length);
    }

    /** Linear interpolation between the two nearest ranks (numpy's default), on sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Interquartile range relative to the median (0.04 = 4%). */
    public double spread() {
        return (q3 - q1) / median;
    }

    /** "0.951 s ±2% (n=9)": the median and half the relative interquartile range. */
    public String describe(String unitFormat) {
        return String.format(Locale.ROOT, unitFormat + " ±%.0f%% (n=%d)", median, 50 * spread(), n);
    }
}
