package org.sparsetuning.bench.fair;

import java.util.Locale;
import org.sparsetuning.tensor.cpu.simd.FmaProbe;

/**
 * The machine's fp32 peak, to say what fraction of it a case reaches: cores x clock x FLOPs per cycle per core.
 * Both factors are measured, because neither can be read off reliably: a virtual machine's /proc/cpuinfo shows
 * the nominal TSC rate (2.6 GHz here) while the cores run boosted, and the CPU flags do not tell how wide the FMA
 * units are (AMD Zen 4 has avx512f but splits each 512-bit FMA into two 256-bit halves: 32 FLOPs per cycle, half
 * of an Intel core with two 512-bit FMA pipes). The clock comes from a chain of dependent one-cycle integer
 * operations (one per cycle, so its length over its time is the clock); the FLOPs per cycle from the best
 * single-core FMA throughput ({@link FmaProbe}) over that clock, rounded to the nearest power of two, since
 * every x86 core's peak is one (8, 16, 32 or 64).
 */
public record MachinePeak(int cores, double ghz, double flopsPerCycle, String clockSource, String fmaSource) {

    public double gflops() {
        return cores * ghz * flopsPerCycle;
    }

    public String describe() {
        return String.format(Locale.ROOT, "fp32 peak %.0f GFLOP/s = %d cores x %.2f GHz (%s) x %.0f FLOP/cycle (%s)",
                gflops(), cores, ghz, clockSource, flopsPerCycle, fmaSource);
    }

    /** The power of two nearest (in ratio) to a measured FLOPs-per-cycle figure. */
    static double nearestPowerOfTwo(double measured) {
        if (!(measured > 0)) {
            throw new IllegalArgumentException("FLOPs per cycle must be positive, got " + measured);
        }
        return Math.pow(2, Math.round(Math.log(measured) / Math.log(2)));
    }

    /**
     * The peak of this machine for a thread count: the clock from {@code ghzOverride} when given, else measured;
     * the FLOPs per cycle always measured.
     */
    public static MachinePeak of(int threads, Double ghzOverride) {
        int cores = Math.min(threads, Runtime.getRuntime().availableProcessors());
        double ghz = ghzOverride != null ? ghzOverride : measureGhz();
        String clockSource = ghzOverride != null ? "--clock-ghz" : "measured by a dependent add/xor chain";
        double perCycle = FmaProbe.bestGflops(3000) / ghz;
        double rounded = nearestPowerOfTwo(perCycle);
        String fmaSource = String.format(Locale.ROOT, "%.1f measured by %d-lane FMA chains on one core, taken as %.0f",
                perCycle, FmaProbe.lanes(), rounded);
        return new MachinePeak(cores, ghz, rounded, clockSource, fmaSource);
    }

    /**
     * The fastest of many short bursts of a chain of 2 dependent one-cycle operations per step. A burst lasts
     * about 0.15 ms, shorter than a scheduler time slice, so on a loaded machine most bursts still run
     * uninterrupted and the fastest one shows the clock (one long timing would show the CPU share instead).
     */
    static double measureGhz() {
        long steps = 1 << 18;
        double best = 0;
        long sink = 0;
        for (int i = 0; i < 3000; i++) {
            long t0 = System.nanoTime();
            sink += chain(steps, i + 1);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * steps / s / 1e9);
        }
        if (sink == 42) {
            System.err.print("");   // keeps the chain's result alive
        }
        return best;
    }

    /** a = a + b; b = b ^ a: each step's add needs the previous xor, each xor the add before it. */
    private static long chain(long steps, long seed) {
        long a = seed;
        long b = seed * 0x9E3779B97F4A7C15L;
        for (long i = 0; i < steps; i++) {
            a += b;
            b ^= a;
        }
        return a ^ b;
    }
}
