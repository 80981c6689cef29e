package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile for column tails of 17 to 64 columns (N = 64 of attention's attn @ v splits as 32 + 32): 8 rows by
 * two vectors. Its 16 FMAs per 10 loads keep it FMA-bound, unlike {@link MicroKernel8x1v}, which is
 * load-bound and measured at less than half the per-column speed of the 3-vector tile.
 */
final class MicroKernel8x2v {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = 2 * L;

    private MicroKernel8x2v() {
    }

    /**
     * c[cOff + r*ldc + j] (accumulate ? += : =) sum over k &lt; kc of a[aOff + r*ars + k*aks] * b[bOff + NR*k + j],
     * for r &lt; 8 and j &lt; NR.
     */
    static void multiply(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int kc,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        FloatVector c60, c61;
        FloatVector c70, c71;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L);
            c01 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 0 * L);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 0 * L);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 0 * L);
            c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 1 * L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 0 * L);
            c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 1 * L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z;
            c10 = z; c11 = z;
            c20 = z; c21 = z;
            c30 = z; c31 = z;
            c40 = z; c41 = z;
            c50 = z; c51 = z;
            c60 = z; c61 = z;
            c70 = z; c71 = z;
        }
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
            int bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ar0 + ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ar1 + ai]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ar2 + ai]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ar3 + ai]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ar4 + ai]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ar5 + ai]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ar6 + ai]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ar7 + ai]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        c60.intoArray(c, cOff + 6 * ldc + 0 * L);
        c61.intoArray(c, cOff + 6 * ldc + 1 * L);
        c70.intoArray(c, cOff + 7 * ldc + 0 * L);
        c71.intoArray(c, cOff + 7 * ldc + 1 * L);
    }
}
