package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 x 16 float transpose in registers, for packing a B operand whose columns are contiguous (a transposed
 * weight): 16 row loads, four rounds of block swaps, 16 row stores, instead of one 16-lane gather per packed
 * row. Round d (d = 8, 4, 2, 1) swaps, for each pair of rows i and i + d with bit d of i clear, the lanes of
 * row i that have bit d set with the lanes of row i + d that have it clear: element (i, j) moves to
 * (i xor d, j xor d) where bit d of i and j differ. Each round thus transposes the 2 x 2 arrangement of d x d
 * blocks inside every aligned 2d x 2d block; the rounds commute, and the four together swap every bit of i with
 * the same bit of j, which is the transpose. A new row is one single-source
 * rearrange (lane j reads lane j xor d of the partner row) and one blend, 128 operations in all; the earlier
 * interleaving with two-source rearranges compiled to two permutes and a blend each, 192 (about 15% faster
 * from L2 in a single-thread timing of the packing loop alone). Only for 16-lane (AVX-512) vectors:
 * {@link #AVAILABLE}; {@code -Dsparsetuning.gemm.gatherPacking=true} turns it off to compare with the gathers.
 */
final class Transpose16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final boolean AVAILABLE = S.length() == 16 && !Boolean.getBoolean("sparsetuning.gemm.gatherPacking");
    private static final VectorShuffle<Float> X8 = AVAILABLE ? xorLanes(8) : null;
    private static final VectorShuffle<Float> X4 = AVAILABLE ? xorLanes(4) : null;
    private static final VectorShuffle<Float> X2 = AVAILABLE ? xorLanes(2) : null;
    private static final VectorShuffle<Float> X1 = AVAILABLE ? xorLanes(1) : null;
    private static final VectorMask<Float> M8 = AVAILABLE ? lanesWithBit(8) : null;
    private static final VectorMask<Float> M4 = AVAILABLE ? lanesWithBit(4) : null;
    private static final VectorMask<Float> M2 = AVAILABLE ? lanesWithBit(2) : null;
    private static final VectorMask<Float> M1 = AVAILABLE ? lanesWithBit(1) : null;

    private Transpose16() {
    }

    /** Lane j reads lane j xor d. */
    private static VectorShuffle<Float> xorLanes(int d) {
        int[] idx = new int[16];
        for (int j = 0; j < 16; j++) {
            idx[j] = j ^ d;
        }
        return VectorShuffle.fromValues(S, idx);
    }

    /** The lanes whose index has bit d set. */
    private static VectorMask<Float> lanesWithBit(int d) {
        boolean[] set = new boolean[16];
        for (int j = 0; j < 16; j++) {
            set[j] = (j & d) != 0;
        }
        return VectorMask.fromArray(S, set, 0);
    }

    /**
     * dst[dOff + j * dStride + i] = src[sOff + i * sStride + j] for i, j &lt; 16. Written out without arrays or
     * loops over vectors: C2 keeps vectors in registers only as plain locals.
     */
    static void transpose(float[] src, int sOff, int sStride, float[] dst, int dOff, int dStride) {
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
        // Round 1: swap the 8 x 8 blocks (rows i, i + 8; lanes with bit 8 set in row i, clear in row i + 8).
        VectorShuffle<Float> x8 = X8;
        VectorMask<Float> m8 = M8;
        FloatVector b0 = a0.blend(a8.rearrange(x8), m8);
        FloatVector b8 = a0.rearrange(x8).blend(a8, m8);
        FloatVector b1 = a1.blend(a9.rearrange(x8), m8);
        FloatVector b9 = a1.rearrange(x8).blend(a9, m8);
        FloatVector b2 = a2.blend(a10.rearrange(x8), m8);
        FloatVector b10 = a2.rearrange(x8).blend(a10, m8);
        FloatVector b3 = a3.blend(a11.rearrange(x8), m8);
        FloatVector b11 = a3.rearrange(x8).blend(a11, m8);
        FloatVector b4 = a4.blend(a12.rearrange(x8), m8);
        FloatVector b12 = a4.rearrange(x8).blend(a12, m8);
        FloatVector b5 = a5.blend(a13.rearrange(x8), m8);
        FloatVector b13 = a5.rearrange(x8).blend(a13, m8);
        FloatVector b6 = a6.blend(a14.rearrange(x8), m8);
        FloatVector b14 = a6.rearrange(x8).blend(a14, m8);
        FloatVector b7 = a7.blend(a15.rearrange(x8), m8);
        FloatVector b15 = a7.rearrange(x8).blend(a15, m8);
        // Round 2: swap the 4 x 4 blocks (rows i, i + 4; lanes with bit 4 set in row i, clear in row i + 4).
        VectorShuffle<Float> x4 = X4;
        VectorMask<Float> m4 = M4;
        FloatVector c0 = b0.blend(b4.rearrange(x4), m4);
        FloatVector c4 = b0.rearrange(x4).blend(b4, m4);
        FloatVector c1 = b1.blend(b5.rearrange(x4), m4);
        FloatVector c5 = b1.rearrange(x4).blend(b5, m4);
        FloatVector c2 = b2.blend(b6.rearrange(x4), m4);
        FloatVector c6 = b2.rearrange(x4).blend(b6, m4);
        FloatVector c3 = b3.blend(b7.rearrange(x4), m4);
        FloatVector c7 = b3.rearrange(x4).blend(b7, m4);
        FloatVector c8 = b8.blend(b12.rearrange(x4), m4);
        FloatVector c12 = b8.rearrange(x4).blend(b12, m4);
        FloatVector c9 = b9.blend(b13.rearrange(x4), m4);
        FloatVector c13 = b9.rearrange(x4).blend(b13, m4);
        FloatVector c10 = b10.blend(b14.rearrange(x4), m4);
        FloatVector c14 = b10.rearrange(x4).blend(b14, m4);
        FloatVector c11 = b11.blend(b15.rearrange(x4), m4);
        FloatVector c15 = b11.rearrange(x4).blend(b15, m4);
        // Round 3: swap the 2 x 2 blocks (rows i, i + 2; lanes with bit 2 set in row i, clear in row i + 2).
        VectorShuffle<Float> x2 = X2;
        VectorMask<Float> m2 = M2;
        FloatVector d0 = c0.blend(c2.rearrange(x2), m2);
        FloatVector d2 = c0.rearrange(x2).blend(c2, m2);
        FloatVector d1 = c1.blend(c3.rearrange(x2), m2);
        FloatVector d3 = c1.rearrange(x2).blend(c3, m2);
        FloatVector d4 = c4.blend(c6.rearrange(x2), m2);
        FloatVector d6 = c4.rearrange(x2).blend(c6, m2);
        FloatVector d5 = c5.blend(c7.rearrange(x2), m2);
        FloatVector d7 = c5.rearrange(x2).blend(c7, m2);
        FloatVector d8 = c8.blend(c10.rearrange(x2), m2);
        FloatVector d10 = c8.rearrange(x2).blend(c10, m2);
        FloatVector d9 = c9.blend(c11.rearrange(x2), m2);
        FloatVector d11 = c9.rearrange(x2).blend(c11, m2);
        FloatVector d12 = c12.blend(c14.rearrange(x2), m2);
        FloatVector d14 = c12.rearrange(x2).blend(c14, m2);
        FloatVector d13 = c13.blend(c15.rearrange(x2), m2);
        FloatVector d15 = c13.rearrange(x2).blend(c15, m2);
        // Round 4: swap the 1 x 1 blocks (rows i, i + 1; lanes with bit 1 set in row i, clear in row i + 1).
        VectorShuffle<Float> x1 = X1;
        VectorMask<Float> m1 = M1;
        FloatVector e0 = d0.blend(d1.rearrange(x1), m1);
        FloatVector e1 = d0.rearrange(x1).blend(d1, m1);
        FloatVector e2 = d2.blend(d3.rearrange(x1), m1);
        FloatVector e3 = d2.rearrange(x1).blend(d3, m1);
        FloatVector e4 = d4.blend(d5.rearrange(x1), m1);
        FloatVector e5 = d4.rearrange(x1).blend(d5, m1);
        FloatVector e6 = d6.blend(d7.rearrange(x1), m1);
        FloatVector e7 = d6.rearrange(x1).blend(d7, m1);
        FloatVector e8 = d8.blend(d9.rearrange(x1), m1);
        FloatVector e9 = d8.rearrange(x1).blend(d9, m1);
        FloatVector e10 = d10.blend(d11.rearrange(x1), m1);
        FloatVector e11 = d10.rearrange(x1).blend(d11, m1);
        FloatVector e12 = d12.blend(d13.rearrange(x1), m1);
        FloatVector e13 = d12.rearrange(x1).blend(d13, m1);
        FloatVector e14 = d14.blend(d15.rearrange(x1), m1);
        FloatVector e15 = d14.rearrange(x1).blend(d15, m1);
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
