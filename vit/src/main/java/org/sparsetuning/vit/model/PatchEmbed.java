package org.sparsetuning.vit.model;

import java.util.Arrays;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Module;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * The patch projection, a P×P convolution with stride P, computed as a matmul on unfolded patches. The
 * weight is stored [D, C, P, P] as in timm ({@code patch_embed.proj.weight}); unfolding each patch in
 * (c, y, x) order makes its flattening line up with the weight's.
 *
 * <p>For clips (SPEC H) it is the tubelet embedding, a t×P×P 3-D convolution with stride t×P×P and weight
 * [D, C, t, P, P]: each tubelet is unfolded in (c, frame, y, x) order, again the weight's flattening, and the
 * tubelets are listed in (time, row, column) order, time outermost.
 */
public final class PatchEmbed extends Module {
    private final int patch;
    private final int inChans;
    private final int dim;
    /** Frames per tubelet, or 0 for an image model (a 4-D weight, 4-D input). */
    private final int tubelet;
    private final Proj proj;

    /** Holds the conv parameters under the timm name {@code proj}. */
    static final class Proj extends Module {
        final Variable weight;
        final Variable bias;

        Proj(int[] weightShape, Generator g) {
            weight = parameter("weight", Init.kaimingUniform(g, weightShape));
            int fanIn = 1;
            for (int i = 1; i < weightShape.length; i++) {
                fanIn *= weightShape[i];
            }
            double bound = 1.0 / Math.sqrt(fanIn);
            bias = parameter("bias", Init.uniform(g, -bound, bound, weightShape[0]));
        }
    }

    /** The image patch embedding. */
    public PatchEmbed(int patch, int inChans, int dim, Generator g) {
        this(patch, 0, inChans, dim, g);
    }

    /** @param tubelet frames per tubelet for a clip model, 0 for an image model */
    public PatchEmbed(int patch, int tubelet, int inChans, int dim, Generator g) {
        if (tubelet < 0) {
            throw new IllegalArgumentException("tubelet size must be positive (or 0 for images), got " + tubelet);
        }
        this.patch = patch;
        this.inChans = inChans;
        this.dim = dim;
        this.tubelet = tubelet;
        int[] shape = tubelet == 0 ? new int[] {dim, inChans, patch, patch}
                : new int[] {dim, inChans, tubelet, patch, patch};
        this.proj = child("proj", new Proj(shape, g));
    }

    /**
     * images [B, C, H, W] → tokens [B, (H/P)·(W/P), D], patches row-major over the grid; or, for a clip model,
     * clips [B, C, T, H, W] → tokens [B, (T/t)·(H/P)·(W/P), D] in (time, row, column) order.
     */
    public Variable forward(Tensor images) {
        return tubelet == 0 ? forwardImages(images) : forwardClips(images);
    }

    private Variable forwardImages(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != inChans || s[2] % patch != 0 || s[3] % patch != 0) {
            throw new IllegalArgumentException("patch embedding: images must be [B, " + inChans + ", H, W] with H, W multiples of "
                    + patch + ", got " + Arrays.toString(s));
        }
        int b = s[0];
        int gh = s[2] / patch;
        int gw = s[3] / patch;
        // The unfolded patches are a copy of the image; scoped, they are freed once projected (the linear layer
        // keeps them only when the projection trains).
        return scoped(() -> {
            Tensor patches = images.reshape(b, inChans, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5)
                    .reshape(b, gh * gw, inChans * patch * patch);
            return F.linear(Variable.constant(patches), proj.weight.reshape(dim, inChans * patch * patch), proj.bias);
        });
    }

    private Variable forwardClips(Tensor clips) {
        int[] s = clips.shape();
        if (s.length != 5 || s[1] != inChans || s[2] % tubelet != 0 || s[3] % patch != 0 || s[4] % patch != 0) {
            throw new IllegalArgumentException("tubelet embedding: clips must be [B, " + inChans + ", T, H, W] with T a "
                    + "multiple of " + tubelet + " and H, W multiples of " + patch + ", got " + Arrays.toString(s));
        }
        int fanIn = inChans * tubelet * patch * patch;
        return scoped(() -> F.linear(Variable.constant(unfoldTubelets(clips, tubelet, patch)),
                proj.weight.reshape(dim, fanIn), proj.bias));
    }

    /**
     * clips [B, C, T, H, W] → tubelets [B, (T/t)·(H/P)·(W/P), C·t·P·P] (a contiguous copy): tokens in (time, row,
     * column) order, each tubelet flattened in (c, frame, y, x) order like the weight [D, C, t, P, P].
     */
    static Tensor unfoldTubelets(Tensor clips, int tubelet, int patch) {
        int[] s = clips.shape();
        int b = s[0];
        int c = s[1];
        int steps = s[2] / tubelet;
        int gh = s[3] / patch;
        int gw = s[4] / patch;
        // One 8-D view splits time, rows and columns into (tubelet index, offset); the permutation puts the
        // token axes (T', gh, gw) first and the weight's (C, t, P, P) last; the reshape gathers the copy.
        return clips.reshape(b, c, steps, tubelet, gh, patch, gw, patch)
                .permute(0, 2, 4, 6, 1, 3, 5, 7)
                .reshape(b, steps * gh * gw, c * tubelet * patch * patch);
    }
}
