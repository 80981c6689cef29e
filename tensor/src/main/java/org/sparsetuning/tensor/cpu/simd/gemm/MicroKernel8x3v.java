package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The main register tile: 8 rows of C by 3 vectors of columns (8 x 48 floats with 16-lane AVX-512), kept in
 * 24 vector registers for the whole K loop. Each k step loads 3 vectors of the packed B panel and broadcasts
 * 8 scalars of the packed A panel, so 24 FMAs share 11 loads: enough reuse to keep both FMA pipes busy, while
 * 24 accumulators + 3 B vectors + 1 broadcast still fit the 32 registers (a probe measured 8x3 near ideal;
 * 8x4 would need 32 accumulators alone and spill).
 *
 * <p>B is packed k-major in panels of 3 vectors ({@code b[bOff + 48k + j]}) and read strictly sequentially. A is
 * addressed through strides: packed 8-row micro-panels ({@code ars = 1, aks = 8}) for large products, or the
 * operand itself (row- or column-major) when too few panels would share a packed copy. The accumulators are plain
 * locals written out one by one: C2 keeps them in registers only when there is no array or loop over them.
 */
final class MicroKernel8x3v {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 8;
    static final int NR = 3 * L;

    private MicroKernel8x3v() {
    }

    /**
     * c[cOff + r*ldc + j] (accumulate ? += : =) sum over k &lt; kc of a[aOff + r*ars + k*aks] * b[bOff + NR*k + j],
     * for r &lt; 8 and j &lt; NR.
     */
    static void multiply(float[] a, int aOff, int ars, int aks, float[] b, int bOff, int kc,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c02;
        FloatVector c10;
        FloatVector c11;
        FloatVector c12;
        FloatVector c20;
        FloatVector c21;
        FloatVector c22;
        FloatVector c30;
        FloatVector c31;
        FloatVector c32;
        FloatVector c40;
        FloatVector c41;
        FloatVector c42;
        FloatVector c50;
        FloatVector c51;
        FloatVector c52;
        FloatVector c60;
        FloatVector c61;
        FloatVector c62;
        FloatVector c70;
        FloatVector c71;
        FloatVector c72;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 0 * L);
            c01 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 1 * L);
            c02 = FloatVector.fromArray(S, c, cOff + 0 * ldc + 2 * L);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 0 * L);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 1 * L);
            c12 = FloatVector.fromArray(S, c, cOff + 1 * ldc + 2 * L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 0 * L);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 1 * L);
            c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 0 * L);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 1 * L);
            c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 0 * L);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 1 * L);
            c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 0 * L);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 1 * L);
            c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 0 * L);
            c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 1 * L);
            c62 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 2 * L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 0 * L);
            c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 1 * L);
            c72 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 2 * L);
        } else {
            FloatVector z = FloatVector.zero(S);
            c00 = z; c01 = z; c02 = z;
            c10 = z; c11 = z; c12 = z;
            c20 = z; c21 = z; c22 = z;
            c30 = z; c31 = z; c32 = z;
            c40 = z; c41 = z; c42 = z;
            c50 = z; c51 = z; c52 = z;
            c60 = z; c61 = z; c62 = z;
            c70 = z; c71 = z; c72 = z;
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
            int bi = bOff + k * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ar0 + ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ar1 + ai]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ar2 + ai]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ar3 + ai]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ar4 + ai]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ar5 + ai]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(S, a[ar6 + ai]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61); c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(S, a[ar7 + ai]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71); c72 = av.fma(b2, c72);
        }
        c00.intoArray(c, cOff + 0 * ldc + 0 * L);
        c01.intoArray(c, cOff + 0 * ldc + 1 * L);
        c02.intoArray(c, cOff + 0 * ldc + 2 * L);
        c10.intoArray(c, cOff + 1 * ldc + 0 * L);
        c11.intoArray(c, cOff + 1 * ldc + 1 * L);
        c12.intoArray(c, cOff + 1 * ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc + 0 * L);
        c21.intoArray(c, cOff + 2 * ldc + 1 * L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc + 0 * L);
        c31.intoArray(c, cOff + 3 * ldc + 1 * L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc + 0 * L);
        c41.intoArray(c, cOff + 4 * ldc + 1 * L);
        c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc + 0 * L);
        c51.intoArray(c, cOff + 5 * ldc + 1 * L);
        c52.intoArray(c, cOff + 5 * ldc + 2 * L);
        c60.intoArray(c, cOff + 6 * ldc + 0 * L);
        c61.intoArray(c, cOff + 6 * ldc + 1 * L);
        c62.intoArray(c, cOff + 6 * ldc + 2 * L);
        c70.intoArray(c, cOff + 7 * ldc + 0 * L);
        c71.intoArray(c, cOff + 7 * ldc + 1 * L);
        c72.intoArray(c, cOff + 7 * ldc + 2 * L);
    }
}
