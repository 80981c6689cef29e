package org.sparsetuning.vit.model;

import java.util.Arrays;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * Resamples the patch part of a position embedding [1, 1 + g², D] to another square grid, the class-token row
 * unchanged (SPEC E.3: resize bicubically when the checkpoint's grid differs from the model's). Both variants are
 * exactly PyTorch's {@code F.interpolate(mode='bicubic', align_corners=False)}, computed in double precision:
 * <ul>
 *   <li>{@link Mode#BICUBIC} ({@code antialias=False}, the default): what the Sparse-Tuning code's
 *       {@code resize_pos_embed} (copied from timm of that time) does for its checkpoints. The output cell i sits at
 *       {@code src = (i + 0.5)·in/out − 0.5}; four taps floor(src)−1 … floor(src)+2, clamped to the border, weighted
 *       by Keys' cubic convolution with a = −0.75.</li>
 *   <li>{@link Mode#BICUBIC_ANTIALIAS} ({@code antialias=True}): what current timm's {@code resample_abs_pos_embed}
 *       defaults to for state-dict checkpoints. The cubic kernel has a = −0.5 and, when shrinking, is stretched by
 *       in/out so that every input cell contributes (a low-pass against aliasing); taps outside the grid are dropped
 *       and the weights renormalised. Because of the other a and border rule it differs from BICUBIC even when
 *       growing.</li>
 * </ul>
 * The 2-D resize is separable: the same 1-D weight matrix is applied along rows and along columns.
 */
public final class PosEmbedResize {
    /** The interpolation variant; {@link #configName} is how the command line names it. */
    public enum Mode {
        BICUBIC("bicubic"),
        BICUBIC_ANTIALIAS("bicubic-antialias");

        public final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.configName.equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("position-embedding resize must be bicubic | bicubic-antialias, got '" + s + "'");
        }

        /** How a log line describes the variant, in PyTorch's terms. */
        public String describe() {
            return this == BICUBIC ? "bicubic, align_corners=False, no antialias"
                    : "bicubic, align_corners=False, antialias";
        }
    }

    private PosEmbedResize() {
    }

    /** The patch grid side g of a position embedding [1, 1 + g², D], or an error saying what is wrong. */
    public static int gridOf(Tensor posEmbed) {
        int[] s = posEmbed.shape();
        if (s.length != 3 || s[0] != 1 || s[1] < 2) {
            throw new IllegalArgumentException("pos_embed must be [1, 1 + g², D], got " + Arrays.toString(s));
        }
        int patches = s[1] - 1;
        int g = (int) Math.round(Math.sqrt(patches));
        if (g * g != patches) {
            throw new IllegalArgumentException("pos_embed has " + s[1] + " tokens: not a class token plus a square patch grid");
        }
        return g;
    }

    /** pos_embed [1, 1 + g², D] → [1, 1 + newGrid², D], same dtype; the input itself if the grid already matches. */
    public static Tensor resize(Tensor posEmbed, int newGrid, Mode mode) {
        int g = gridOf(posEmbed);
        if (newGrid <= 0) {
            throw new IllegalArgumentException("target grid must be positive, got " + newGrid);
        }
        if (g == newGrid) {
            return posEmbed;
        }
        int dim = posEmbed.size(2);
        double[] in = posEmbed.toDoubleArray();
        double[][] w = weights(g, newGrid, mode);
        // Along columns first: rows[y][x'][c] = Σ_x w[x'][x]·grid[y][x][c]; then along rows.
        double[] rows = new double[g * newGrid * dim];
        for (int y = 0; y < g; y++) {
            for (int xo = 0; xo < newGrid; xo++) {
                int dst = (y * newGrid + xo) * dim;
                for (int x = 0; x < g; x++) {
                    double wx = w[xo][x];
                    if (wx != 0) {
                        axpy(wx, in, (1 + y * g + x) * dim, rows, dst, dim);
                    }
                }
            }
        }
        double[] out = new double[(1 + newGrid * newGrid) * dim];
        System.arraycopy(in, 0, out, 0, dim);                     // the class-token row
        for (int yo = 0; yo < newGrid; yo++) {
            for (int y = 0; y < g; y++) {
                double wy = w[yo][y];
                if (wy == 0) {
                    continue;
                }
                for (int xo = 0; xo < newGrid; xo++) {
                    axpy(wy, rows, (y * newGrid + xo) * dim, out, (1 + yo * newGrid + xo) * dim, dim);
                }
            }
        }
        Tensor t = Tensor.of(out, 1, 1 + newGrid * newGrid, dim);
        return posEmbed.dtype() == DType.F64 ? t : t.to(posEmbed.dtype());
    }

    private static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int c = 0; c < n; c++) {
            y[yOff + c] += a * x[xOff + c];
        }
    }

    /** The 1-D resampling matrix [out][in]: output cell i = Σ_j w[i][j]·input cell j. */
    static double[][] weights(int in, int out, Mode mode) {
        return mode == Mode.BICUBIC ? clampedCubic(in, out) : antialiasedCubic(in, out);
    }

    private static double[][] clampedCubic(int in, int out) {
        double scale = (double) in / out;
        double[][] w = new double[out][in];
        for (int i = 0; i < out; i++) {
            double src = (i + 0.5) * scale - 0.5;                   // not clamped at 0 for cubic, as in PyTorch
            int base = (int) Math.floor(src);
            double t = src - base;
            double[] taps = {keys(t + 1, -0.75), keys(t, -0.75), keys(1 - t, -0.75), keys(2 - t, -0.75)};
            for (int k = 0; k < 4; k++) {
                int j = Math.min(Math.max(base - 1 + k, 0), in - 1);   // border cells repeat
                w[i][j] += taps[k];
            }
        }
        return w;
    }

    private static double[][] antialiasedCubic(int in, int out) {
        double scale = (double) in / out;
        boolean shrink = scale >= 1;
        double support = shrink ? 2 * scale : 2;
        double invScale = shrink ? 1 / scale : 1;
        double[][] w = new double[out][in];
        for (int i = 0; i < out; i++) {
            double center = scale * (i + 0.5);
            // (int) truncates toward zero like PyTorch's C++ cast; the lower bound is then clamped at 0.
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            for (int j = lo; j < hi; j++) {
                w[i][j] = keys((j - center + 0.5) * invScale, -0.5);
                total += w[i][j];
            }
            for (int j = lo; j < hi; j++) {
                w[i][j] /= total;
            }
        }
        return w;
    }

    /** Keys' cubic convolution kernel with parameter a, at distance x. */
    static double keys(double x, double a) {
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        }
        return 0;
    }
}
