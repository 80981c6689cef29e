package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The narrow tile for the columns left over after the 3-vector panels (N mod 48 with 16 lanes): 8 rows by one
 * vector. Without it a 64-column product (attention's 197x197 @ 197x64) would pad its last 16 columns to a
 * 48-wide panel and waste a third of its FMAs. It is load-bound (9 loads per 8 FMAs), which is acceptable for
 * at most two panels per product.
 */
final class MicroKernel8x1v {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = L;

    private MicroKernel8x1v() {
    }

    /** c[cOff + r*ldc + j] (accumulate ? += : =) sum over k &lt; kc of a[aOff + 8k + r] * b[bOff + NR*k + j]. */
    static void multiply(float[] a, int aOff, float[] b, int bOff, int kc,
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
        for (int k = 0; k < kc; k++) {
            int ai = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + k * NR);
            c00 = FloatVector.broadcast(S, a[ai + 0]).fma(b0, c00);
            c10 = FloatVector.broadcast(S, a[ai + 1]).fma(b0, c10);
            c20 = FloatVector.broadcast(S, a[ai + 2]).fma(b0, c20);
            c30 = FloatVector.broadcast(S, a[ai + 3]).fma(b0, c30);
            c40 = FloatVector.broadcast(S, a[ai + 4]).fma(b0, c40);
            c50 = FloatVector.broadcast(S, a[ai + 5]).fma(b0, c50);
            c60 = FloatVector.broadcast(S, a[ai + 6]).fma(b0, c60);
            c70 = FloatVector.broadcast(S, a[ai + 7]).fma(b0, c70);
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
