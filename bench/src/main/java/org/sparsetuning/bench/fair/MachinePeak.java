package org.sparsetuning.bench.fair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine's fp32 peak, to say what fraction of it a case reaches: cores x clock x FLOPs per cycle per core,
 * where FLOPs per cycle = FMA pipes x fp32 lanes x 2 (an FMA is a multiply and an add). The lanes come from the
 * CPU's flags (avx512f: 16, avx2 with fma: 8, else 4); two FMA pipes per core is what current x86 server cores
 * (Intel since Skylake-SP Gold, AMD since Zen 1) have, and is an assumption stated in the report. The clock is
 * measured, because a virtual machine's /proc/cpuinfo shows the nominal TSC rate (2.6 GHz here) while the
 * cores run boosted: a chain of dependent one-cycle integer operations runs one per cycle, so its length over
 * its time is the clock.
 */
public record MachinePeak(int cores, double ghz, int lanes, int fmaPipes, String clockSource) {
    static final int ASSUMED_FMA_PIPES = 2;

    public double flopsPerCycle() {
        return 2.0 * fmaPipes * lanes;
    }

    public double gflops() {
        return cores * ghz * flopsPerCycle();
    }

    public String describe() {
        return String.format(Locale.ROOT, "fp32 peak %.0f GFLOP/s = %d cores x %.2f GHz (%s) x %.0f FLOP/cycle (%d FMA pipes x %d fp32 lanes x 2)",
                gflops(), cores, ghz, clockSource, flopsPerCycle(), fmaPipes, lanes);
    }

    /** fp32 lanes of the widest FMA the CPU's /proc/cpuinfo flags line offers. */
    static int lanesFromFlags(String cpuinfo) {
        String flags = "";
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                break;
            }
        }
        if (flags.contains(" avx512f ")) {
            return 16;
        }
        if (flags.contains(" avx2 ") && flags.contains(" fma ")) {
            return 8;
        }
        return 4;
    }

    /**
     * The peak of this machine for a thread count: the clock from {@code ghzOverride} when given, else measured.
     */
    public static MachinePeak of(int threads, Double ghzOverride) {
        String info;
        try {
            info = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            info = "";
        }
        int lanes = lanesFromFlags(info);
        int cores = Math.min(threads, Runtime.getRuntime().availableProcessors());
        if (ghzOverride != null) {
            return new MachinePeak(cores, ghzOverride, lanes, ASSUMED_FMA_PIPES, "--clock-ghz");
        }
        return new MachinePeak(cores, measureGhz(), lanes, ASSUMED_FMA_PIPES, "measured by a dependent add/xor chain");
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
