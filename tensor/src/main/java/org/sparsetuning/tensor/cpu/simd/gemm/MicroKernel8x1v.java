package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The narrowest tile, for products of at most 16 columns (one vector): 8 rows by one vector. It is load-bound
 * (9 loads per 8 FMAs), so wider products never use it: their column tails go to {@link MicroKernel8x2v}.
 */
final class MicroKernel8x1v {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = L;

    private MicroKernel8x1v() {
    }

    /** c[cOff + r*ldc + j] (accumulate ? += : =) sum over k &lt; kc of a[aOff + r*ars + k*aks] * b[bOff + NR*k + j]. */
    static void multiply(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int kc,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00;
        FloatVector c10;
        FloatVector c20;
        FloatVector c30;
        FloatVector c40;
        FloatVector c50;
        FloatVector c60;
        FloatVector c70;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c10 = z; c20 = z; c30 = z; c40 = z; c50 = z; c60 = z; c70 = z;
        }
        // Row r of the A tile is a[ar + k * aks]: packed panels have (ars, aks) = (1, 8); a row-major A used in
        // place has (lda, 1), a column-major one (1, lda).
        int ar0 = aOff;
        int ar1 = aOff + 1 * ars;
        int ar2 = aOff + 2 * ars;
        int ar3 = aOff + 3 * ars;
        int ar4 = aOff + 4 * ars;
        int ar5 = aOff + 5 * ars;
        int ar6 = aOff + 6 * ars;
        int ar7 = aOff + 7 * ars;
        for (int k = 0; k < kc; k++) {
            int ai = k * aks;
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + k * NR);
            c00 = FloatVector.broadcast(S, a[ar0 + ai]).fma(b0, c00);
            c10 = FloatVector.broadcast(S, a[ar1 + ai]).fma(b0, c10);
            c20 = FloatVector.broadcast(S, a[ar2 + ai]).fma(b0, c20);
            c30 = FloatVector.broadcast(S, a[ar3 + ai]).fma(b0, c30);
            c40 = FloatVector.broadcast(S, a[ar4 + ai]).fma(b0, c40);
            c50 = FloatVector.broadcast(S, a[ar5 + ai]).fma(b0, c50);
            c60 = FloatVector.broadcast(S, a[ar6 + ai]).fma(b0, c60);
            c70 = FloatVector.broadcast(S, a[ar7 + ai]).fma(b0, c70);
        }
        c00.intoArray(c, cOff + 0 * ldc);
        c10.intoArray(c, cOff + 1 * ldc);
        c20.intoArray(c, cOff + 2 * ldc);
        c30.intoArray(c, cOff + 3 * ldc);
        c40.intoArray(c, cOff + 4 * ldc);
        c50.intoArray(c, cOff + 5 * ldc);
        c60.intoArray(c, cOff + 6 * ldc);
        c70.intoArray(c, cOff + 7 * ldc);
    }
}
