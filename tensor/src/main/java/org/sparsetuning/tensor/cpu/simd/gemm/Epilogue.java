package org.sparsetuning.tensor.cpu.simd.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.sparsetuning.tensor.backend.Activation;

/**
 * bias[n] plus the activation, applied to a C tile right after its last K block was stored, while the tile
 * is still in L1, instead of as separate passes over the whole output.
 */
final class Epilogue {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** bias[n] is bias[biasOff + n] (unit stride), or bias is null. */
    private final float[] bias;
    private final int biasOff;
    private final Activation act;

    Epilogue(float[] bias, int biasOff, Activation act) {
        this.bias = bias;
        this.biasOff = biasOff;
        this.act = act;
    }

    boolean isIdentity() {
        return bias == null && act == Activation.NONE;
    }

    /**
     * Rows [0, rows) x columns [j0, j0 + width) of c at cOff (which is column j0); width a multiple of L. Row by
     * row, bias then activation, each a loop with no vector-valued call in it (see {@link Gelu#applyInPlace}).
     */
    void applyVectors(float[] c, int cOff, int ldc, int rows, int j0, int width) {
        if (isIdentity()) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int row = cOff + r * ldc;
            if (bias != null) {
                for (int j = 0; j < width; j += L) {
                    FloatVector.fromArray(S, c, row + j).add(FloatVector.fromArray(S, bias, biasOff + j0 + j))
                            .intoArray(c, row + j);
                }
            }
            if (act == Activation.GELU) {
                Gelu.applyInPlace(c, row, width);
            } else if (act == Activation.RELU) {
                // x > 0 ? x : 0, as the reference (NaN becomes 0, unlike max).
                FloatVector zero = FloatVector.zero(S);
                for (int j = 0; j < width; j += L) {
                    FloatVector v = FloatVector.fromArray(S, c, row + j);
                    zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(c, row + j);
                }
            }
        }
    }

    /** The same for an edge tile of any width: whole vectors, then the remainder one element at a time. */
    void applyAnyWidth(float[] c, int cOff, int ldc, int rows, int j0, int cols) {
        if (isIdentity()) {
            return;
        }
        int vectorCols = cols - cols % L;
        applyVectors(c, cOff, ldc, rows, j0, vectorCols);
        for (int r = 0; r < rows; r++) {
            for (int j = vectorCols; j < cols; j++) {
                int i = cOff + r * ldc + j;
                float v = c[i];
                if (bias != null) {
                    v += bias[biasOff + j0 + j];
                }
                c[i] = activate(v);
            }
        }
    }

    private float activate(float v) {
        switch (act) {
            case RELU:
                return v > 0 ? v : 0f;
            case GELU:
                return Gelu.apply(v);
            default:
                return v;
        }
    }
}
