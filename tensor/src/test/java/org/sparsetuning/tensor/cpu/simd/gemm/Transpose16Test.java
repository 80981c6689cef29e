package org.sparsetuning.tensor.cpu.simd.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class Transpose16Test {
    /** Every element lands at its transposed place; nothing outside the 16 x 16 destination block is written. */
    @Test
    void transposesABlockBetweenStridedArrays() {
        assumeTrue(Transpose16.AVAILABLE, "16-lane vectors only");
        int sOff = 5;
        int sStride = 37;
        int dOff = 3;
        int dStride = 19;
        float[] src = new float[sOff + 15 * sStride + 16 + 4];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 0.5f;
        }
        float[] dst = new float[dOff + 15 * dStride + 16 + 4];
        java.util.Arrays.fill(dst, -1f);
        Transpose16.transpose(src, sOff, sStride, dst, dOff, dStride);
        boolean[] written = new boolean[dst.length];
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 16; j++) {
                int d = dOff + j * dStride + i;
                assertEquals(src[sOff + i * sStride + j], dst[d], "element (" + i + ", " + j + ")");
                written[d] = true;
            }
        }
        for (int d = 0; d < dst.length; d++) {
            if (!written[d]) {
                assertEquals(-1f, dst[d], "untouched destination element " + d);
            }
        }
    }
}
