package org.sparsetuning.tensor.cpu.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures how many fp32 FLOPs one core retires per second in fused multiply-adds of the widest vectors the
 * JVM uses, so the benchmarks can state the machine's peak from a measurement instead of from a guess about
 * its FMA units. (The flags alone mislead: AMD Zen 4 has avx512f but runs a 512-bit FMA as two 256-bit halves,
 * so it peaks at half the FLOPs per cycle of an Intel core with two 512-bit FMA pipes.)
 *
 * <p>Twelve independent accumulator chains are enough to cover an FMA latency of 4 to 5 cycles on two pipes.
 * The result is the fastest of many short bursts, so a loaded machine still shows what one core can do.
 */
public final class FmaProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;

    private FmaProbe() {
    }

    /** fp32 lanes of one vector on this JVM. */
    public static int lanes() {
        return S.length();
    }

    /** The best single-thread FMA throughput seen over {@code bursts} bursts, in GFLOP/s (an FMA counts 2). */
    public static double bestGflops(int bursts) {
        int steps = 8192;
        double best = 0;
        float sink = 0;
        for (int i = 0; i < bursts; i++) {
            long t0 = System.nanoTime();
            sink += burst(steps, 1e-3f * (i % 7));
            long ns = System.nanoTime() - t0;
            best = Math.max(best, 2.0 * CHAINS * S.length() * steps / ns);
        }
        if (sink == 42.5f) {
            System.err.print("");   // keeps the bursts' results alive
        }
        return best;
    }

    private static float burst(int steps, float seed) {
        FloatVector m = FloatVector.broadcast(S, 0.9999f);
        FloatVector c = FloatVector.broadcast(S, 1e-4f);
        FloatVector a0 = FloatVector.broadcast(S, seed);
        FloatVector a1 = a0.add(1f);
        FloatVector a2 = a0.add(2f);
        FloatVector a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f);
        FloatVector a5 = a0.add(5f);
        FloatVector a6 = a0.add(6f);
        FloatVector a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f);
        FloatVector a9 = a0.add(9f);
        FloatVector a10 = a0.add(10f);
        FloatVector a11 = a0.add(11f);
        for (int i = 0; i < steps; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
