package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 x 16 float transpose in registers, for packing a B operand whose columns are contiguous (a transposed
 * weight): 16 row loads, four rounds of 16 two-source rearranges, 16 row stores, instead of one
 * 16-lane gather per packed row (measured about twice as fast here). Each round interleaves rows i and i + 8,
 * which rotates the 8 bits (row, lane) of an element's position left by one; four rounds swap row and lane.
 * Only for 16-lane (AVX-512) vectors: {@link #AVAILABLE}; {@code -Dsparsetuning.gemm.gatherPacking=true} turns it
 * off to compare with the gathers.
 */
final class Transpose16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean AVAILABLE = S.length() == 16 && !Boolean.getBoolean("sparsetuning.gemm.gatherPacking");
    /** Lanes [a0, b0, a1, b1, ..., a7, b7] and [a8, b8, ..., a15, b15] of two sources a and b. */
    private static final VectorShuffle<Float> LOW = AVAILABLE ? interleave(0) : null;
    private static final VectorShuffle<Float> HIGH = AVAILABLE ? interleave(8) : null;

    private Transpose16() {
    }

    /** Indexes 16.. name lanes of the second source (exceptional indexes of a two-source rearrange). */
    private static VectorShuffle<Float> interleave(int from) {
        int[] idx = new int[16];
        for (int j = 0; j < 8; j++) {
            idx[2 * j] = from + j;
            idx[2 * j + 1] = 16 + from + j;
        }
        return VectorShuffle.fromValues(S, idx);
    }

    /**
     * dst[dOff + j * dStride + i] = src[sOff + i * sStride + j] for i, j &lt; 16. Written out without arrays or
     * loops over vectors: C2 keeps vectors in registers only as plain locals.
     */
    static void transpose(float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
        VectorShuffle<Float> lo = LOW;
        VectorShuffle<Float> hi = HIGH;
        FloatVector a0 = FloatVector.fromArray(S, src, sOff + 0 * sStride);
        FloatVector a1 = FloatVector.fromArray(S, src, sOff + 1 * sStride);
        FloatVector a2 = FloatVector.fromArray(S, src, sOff + 2 * sStride);
        FloatVector a3 = FloatVector.fromArray(S, src, sOff + 3 * sStride);
        FloatVector a4 = FloatVector.fromArray(S, src, sOff + 4 * sStride);
        FloatVector a5 = FloatVector.fromArray(S, src, sOff + 5 * sStride);
        FloatVector a6 = FloatVector.fromArray(S, src, sOff + 6 * sStride);
        FloatVector a7 = FloatVector.fromArray(S, src, sOff + 7 * sStride);
        FloatVector a8 = FloatVector.fromArray(S, src, sOff + 8 * sStride);
        FloatVector a9 = FloatVector.fromArray(S, src, sOff + 9 * sStride);
        FloatVector a10 = FloatVector.fromArray(S, src, sOff + 10 * sStride);
        FloatVector a11 = FloatVector.fromArray(S, src, sOff + 11 * sStride);
        FloatVector a12 = FloatVector.fromArray(S, src, sOff + 12 * sStride);
        FloatVector a13 = FloatVector.fromArray(S, src, sOff + 13 * sStride);
        FloatVector a14 = FloatVector.fromArray(S, src, sOff + 14 * sStride);
        FloatVector a15 = FloatVector.fromArray(S, src, sOff + 15 * sStride);
        FloatVector b0 = a0.rearrange(lo, a8);
        FloatVector b1 = a0.rearrange(hi, a8);
        FloatVector b2 = a1.rearrange(lo, a9);
        FloatVector b3 = a1.rearrange(hi, a9);
        FloatVector b4 = a2.rearrange(lo, a10);
        FloatVector b5 = a2.rearrange(hi, a10);
        FloatVector b6 = a3.rearrange(lo, a11);
        FloatVector b7 = a3.rearrange(hi, a11);
        FloatVector b8 = a4.rearrange(lo, a12);
        FloatVector b9 = a4.rearrange(hi, a12);
        FloatVector b10 = a5.rearrange(lo, a13);
        FloatVector b11 = a5.rearrange(hi, a13);
        FloatVector b12 = a6.rearrange(lo, a14);
        FloatVector b13 = a6.rearrange(hi, a14);
        FloatVector b14 = a7.rearrange(lo, a15);
        FloatVector b15 = a7.rearrange(hi, a15);
        FloatVector c0 = b0.rearrange(lo, b8);
        FloatVector c1 = b0.rearrange(hi, b8);
        FloatVector c2 = b1.rearrange(lo, b9);
        FloatVector c3 = b1.rearrange(hi, b9);
        FloatVector c4 = b2.rearrange(lo, b10);
        FloatVector c5 = b2.rearrange(hi, b10);
        FloatVector c6 = b3.rearrange(lo, b11);
        FloatVector c7 = b3.rearrange(hi, b11);
        FloatVector c8 = b4.rearrange(lo, b12);
        FloatVector c9 = b4.rearrange(hi, b12);
        FloatVector c10 = b5.rearrange(lo, b13);
        FloatVector c11 = b5.rearrange(hi, b13);
        FloatVector c12 = b6.rearrange(lo, b14);
        FloatVector c13 = b6.rearrange(hi, b14);
        FloatVector c14 = b7.rearrange(lo, b15);
        FloatVector c15 = b7.rearrange(hi, b15);
        FloatVector d0 = c0.rearrange(lo, c8);
        FloatVector d1 = c0.rearrange(hi, c8);
        FloatVector d2 = c1.rearrange(lo, c9);
        FloatVector d3 = c1.rearrange(hi, c9);
        FloatVector d4 = c2.rearrange(lo, c10);
        FloatVector d5 = c2.rearrange(hi, c10);
        FloatVector d6 = c3.rearrange(lo, c11);
        FloatVector d7 = c3.rearrange(hi, c11);
        FloatVector d8 = c4.rearrange(lo, c12);
        FloatVector d9 = c4.rearrange(hi, c12);
        FloatVector d10 = c5.rearrange(lo, c13);
        FloatVector d11 = c5.rearrange(hi, c13);
        FloatVector d12 = c6.rearrange(lo, c14);
        FloatVector d13 = c6.rearrange(hi, c14);
        FloatVector d14 = c7.rearrange(lo, c15);
        FloatVector d15 = c7.rearrange(hi, c15);
        FloatVector e0 = d0.rearrange(lo, d8);
        FloatVector e1 = d0.rearrange(hi, d8);
        FloatVector e2 = d1.rearrange(lo, d9);
        FloatVector e3 = d1.rearrange(hi, d9);
        FloatVector e4 = d2.rearrange(lo, d10);
        FloatVector e5 = d2.rearrange(hi, d10);
        FloatVector e6 = d3.rearrange(lo, d11);
        FloatVector e7 = d3.rearrange(hi, d11);
        FloatVector e8 = d4.rearrange(lo, d12);
        FloatVector e9 = d4.rearrange(hi, d12);
        FloatVector e10 = d5.rearrange(lo, d13);
        FloatVector e11 = d5.rearrange(hi, d13);
        FloatVector e12 = d6.rearrange(lo, d14);
        FloatVector e13 = d6.rearrange(hi, d14);
        FloatVector e14 = d7.rearrange(lo, d15);
        FloatVector e15 = d7.rearrange(hi, d15);
        e0.intoArray(dst, dOff + 0 * dStride);
        e1.intoArray(dst, dOff + 1 * dStride);
        e2.intoArray(dst, dOff + 2 * dStride);
        e3.intoArray(dst, dOff + 3 * dStride);
        e4.intoArray(dst, dOff + 4 * dStride);
        e5.intoArray(dst, dOff + 5 * dStride);
        e6.intoArray(dst, dOff + 6 * dStride);
        e7.intoArray(dst, dOff + 7 * dStride);
        e8.intoArray(dst, dOff + 8 * dStride);
        e9.intoArray(dst, dOff + 9 * dStride);
        e10.intoArray(dst, dOff + 10 * dStride);
        e11.intoArray(dst, dOff + 11 * dStride);
        e12.intoArray(dst, dOff + 12 * dStride);
        e13.intoArray(dst, dOff + 13 * dStride);
        e14.intoArray(dst, dOff + 14 * dStride);
        e15.intoArray(dst, dOff + 15 * dStride);
    }
}
