package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * The ceiling of the matrix product on one core: the main micro-kernel ({@link MicroKernel8x3v}) run over one K
 * block whose operands stay in cache (a packed 8 x KC A panel, a KC x 48 B panel, one C tile), with nothing of the
 * product around it: no packing, no other tiles, no threads. A product's rate over this one is what its loop
 * nest, memory traffic and thread split cost; this one over the FMA peak ({@code FmaProbe}) is what the kernel's
 * own loop costs (its loads, broadcasts and bounds checks).
 */
public final class MicroKernelProbe {
    private MicroKernelProbe() {
    }

    /** The best rate, in GFLOP/s, of {@code bursts} bursts of back-to-back kernel calls on this thread. */
    public static double bestGflops(int bursts) {
        int kc = Blocking.KC;
        int mr = MicroKernel8x3v.MR;
        int nr = MicroKernel8x3v.NR;
        float[] a = new float[mr * kc];
        float[] b = new float[kc * nr];
        float[] c = new float[mr * nr];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 1e-3f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) * 1e-3f;
        }
        int calls = 64;
        double flopsPerBurst = 2.0 * mr * nr * kc * calls;
        double best = 0;
        for (int i = 0; i < bursts; i++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < calls; j++) {
                // Accumulating into the same tile keeps every call's result live; the values stay far from overflow.
                MicroKernel8x3v.multiply(a, 0, 1, mr, b, 0, kc, c, 0, nr, j > 0);
            }
            best = Math.max(best, flopsPerBurst / (System.nanoTime() - t0));
        }
        if (c[0] == 42.5f) {
            System.err.print("");   // keeps the tile alive
        }
        return best;
    }
}
