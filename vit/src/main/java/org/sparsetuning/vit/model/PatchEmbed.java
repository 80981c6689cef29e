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
 */
public final class PatchEmbed extends Module {
    private final int patch;
    private final int inChans;
    private final int dim;
    private final Proj proj;

    /** Holds the conv parameters under the timm name {@code proj}. */
    static final class Proj extends Module {
        final Variable weight;
        final Variable bias;

        Proj(int dim, int inChans, int patch, Generator g) {
            weight = parameter("weight", Init.kaimingUniform(g, dim, inChans, patch, patch));
            double bound = 1.0 / Math.sqrt(inChans * patch * patch);
            bias = parameter("bias", Init.uniform(g, -bound, bound, dim));
        }
    }

    public PatchEmbed(int patch, int inChans, int dim, Generator g) {
        this.patch = patch;
        this.inChans = inChans;
        this.dim = dim;
        this.proj = child("proj", new Proj(dim, inChans, patch, g));
    }

    /** images [B, C, H, W] → tokens [B, (H/P)·(W/P), D], patches row-major over the grid. */
    public Variable forward(Tensor images) {
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
}
