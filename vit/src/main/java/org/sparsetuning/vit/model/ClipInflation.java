package org.sparsetuning.vit.model;

import java.util.Arrays;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * Turns an image backbone's embedding into a clip model's (SPEC H), so that a clip of identical frames embeds
 * exactly as the image would:
 * <ul>
 *   <li>the patch kernel [D, C, P, P] is repeated over the t frames of a tubelet and divided by t:
 *       {@code W3[:, :, i] = W2 / t};</li>
 *   <li>the spatial position embedding [1, 1 + n, D] is repeated for every one of the T' time steps, time outermost,
 *       the CLS entry kept: [1, 1 + T'·n, D].</li>
 * </ul>
 * Values are computed in double and stored in the input's dtype.
 */
public final class ClipInflation {
    private ClipInflation() {
    }

    /** [D, C, P, P] → [D, C, t, P, P], each frame's slice W2 / t. */
    public static Tensor kernel(Tensor w2, int tubelet) {
        int[] s = w2.shape();
        if (s.length != 4 || tubelet <= 0) {
            throw new IllegalArgumentException("inflating a patch kernel needs [D, C, P, P] and t > 0, got "
                    + Arrays.toString(s) + ", t " + tubelet);
        }
        double[] in = w2.toDoubleArray();
        int plane = s[2] * s[3];
        int filters = s[0] * s[1];
        double[] out = new double[filters * tubelet * plane];
        for (int f = 0; f < filters; f++) {
            for (int i = 0; i < tubelet; i++) {
                for (int k = 0; k < plane; k++) {
                    out[(f * tubelet + i) * plane + k] = in[f * plane + k] / tubelet;
                }
            }
        }
        return like(w2, Tensor.of(out, s[0], s[1], tubelet, s[2], s[3]));
    }

    /** [1, 1 + n, D] → [1, 1 + steps·n, D]: the CLS row, then the n spatial rows once per time step. */
    public static Tensor posEmbed(Tensor spatial, int steps) {
        int[] s = spatial.shape();
        if (s.length != 3 || s[0] != 1 || s[1] < 2 || steps <= 0) {
            throw new IllegalArgumentException("inflating a position embedding needs [1, 1 + n, D] and T' > 0, got "
                    + Arrays.toString(s) + ", T' " + steps);
        }
        int dim = s[2];
        int patchValues = (s[1] - 1) * dim;
        double[] in = spatial.toDoubleArray();
        double[] out = new double[dim + steps * patchValues];
        System.arraycopy(in, 0, out, 0, dim);
        for (int t = 0; t < steps; t++) {
            System.arraycopy(in, dim, out, dim + t * patchValues, patchValues);
        }
        return like(spatial, Tensor.of(out, 1, 1 + steps * (s[1] - 1), dim));
    }

    private static Tensor like(Tensor original, Tensor f64) {
        return original.dtype() == DType.F64 ? f64 : f64.to(original.dtype());
    }
}
