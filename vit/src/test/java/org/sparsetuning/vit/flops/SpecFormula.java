package org.sparsetuning.vit.flops;

/**
 * SPEC A.9's per-block flop formula, generalised from ViT-B's numbers to any width D, MLP width H, patch
 * count P, patch size p, C input channels and adapter bottleneck d' (paper Dense Adapters, inputs N−1 and
 * N−3). It is the independent side of the tests: the counter observes the forward pass, this adds up what
 * fvcore charges for the reference model given the token counts, which the tests write out by hand.
 */
public final class SpecFormula {
    final long dim;
    final long hidden;
    final long patches;
    final long patchInputs;
    final long classes;

    public SpecFormula(long dim, long hidden, long patches, long patchInputs, long classes) {
        this.dim = dim;
        this.hidden = hidden;
        this.patches = patches;
        this.patchInputs = patchInputs;
        this.classes = classes;
    }

    /** One block with nIn tokens entering and nOut leaving (after TS); adapterDim 0 = no adapter. */
    public long block(int layer, long nIn, long nOut, int adapterDim) {
        long d = dim;
        long f = 5 * nIn * d                 // LN1
                + nIn * d * 3 * d            // qkv
                + 2 * nIn * nIn * d          // q·kᵀ and P·v over all heads
                + nIn * d * d                // proj
                + 5 * nOut * d               // LN2
                + 2 * nOut * d * hidden;     // fc1 + fc2
        if (adapterDim > 0) {
            int downs = 1 + (layer > 1 ? 1 : 0) + (layer > 3 ? 1 : 0);
            f += nOut * d * adapterDim * downs + nOut * adapterDim * d;
        }
        return f;
    }

    public long patchEmbed() {
        return patches * dim * patchInputs;
    }

    public long finalNormAndHead(long nFinal) {
        return 5 * nFinal * dim + dim * classes;
    }

    /** tokens[i] = tokens leaving layer i+1 (index 0 = before layer 1 too: the sequence entering). */
    public long total(int[] tokensAfter, int adapterDim) {
        long f = patchEmbed();
        long n = patches + 1;
        for (int i = 0; i < tokensAfter.length; i++) {
            f += block(i + 1, n, tokensAfter[i], adapterDim);
            n = tokensAfter[i];
        }
        return f + finalNormAndHead(n);
    }

    /** Tokens leaving each of 12 layers when TS at 4, 7, 10 leaves s4, s7, s10 (start = P + 1). */
    public static int[] twelveLayers(int start, int s4, int s7, int s10) {
        int[] t = new int[12];
        for (int i = 0; i < 12; i++) {
            int layer = i + 1;
            t[i] = layer < 4 ? start : layer < 7 ? s4 : layer < 10 ? s7 : s10;
        }
        return t;
    }

    /** Paper Dense Adapter parameters of 12 layers (biases included): SPEC A.3's conditional layout. */
    public long denseAdapterParameters(int adapterDim) {
        long p = 0;
        for (int layer = 1; layer <= 12; layer++) {
            int downs = 1 + (layer > 1 ? 1 : 0) + (layer > 3 ? 1 : 0);
            p += downs * (dim * adapterDim + adapterDim) + adapterDim * dim + dim;
        }
        return p;
    }
}
