package org.sparsetuning.vit.model;

import java.util.List;

/**
 * The per-method options of a configuration (tools/torchref's option names and defaults). Each option belongs to one
 * method, which alone reads it; the defaults are those of {@link MethodDefaults}' table.
 *
 * @param codeAdapterDims hidden sizes h1, h2 of the official code's nested adapter ({@code dense_mode: code})
 * @param loraRank r of LoRA
 * @param loraAlpha LoRA's α; the update is scaled by α / r
 * @param adaptformerInput {@code residual} (the un-normalised FFN input y) or {@code ln2} (LN2(y))
 * @param kadaptN n, the number of Kronecker terms (must divide embed_dim)
 * @param kadaptRank rank of each B_k
 * @param kadaptScale the factor on x·H
 * @param kadaptDeltaAfterScale add the q delta after q is scaled by 1/√head_dim ({@code q/√d + Δq}, SPEC C.2 and the
 *     official code; the default) instead of before ({@code (q + Δq)/√d}, ΔW taken as part of the projection)
 * @param vptTokens prompt tokens per layer of VPT-deep
 * @param adapterPlacement {@code mlp}: one bottleneck adapter per block after the MLP sub-layer (the parameter count
 *     SPEC C.4 reports); {@code houlsby}: one after the attention and one after the MLP sub-layer
 */
public record MethodOptions(List<Integer> codeAdapterDims, int loraRank, double loraAlpha, String adaptformerInput,
        int kadaptN, int kadaptRank, double kadaptScale, boolean kadaptDeltaAfterScale, int vptTokens,
        String adapterPlacement) {

    public static final MethodOptions DEFAULTS = new MethodOptions(List.of(64, 32), 4, 8.0, "residual", 32, 1, 160.0,
            true, 10, "mlp");

    public MethodOptions {
        codeAdapterDims = List.copyOf(codeAdapterDims);
        if (codeAdapterDims.size() != 2 || codeAdapterDims.get(0) <= 0 || codeAdapterDims.get(1) <= 0) {
            throw new IllegalArgumentException("code_adapter_dims must be two positive sizes [h1, h2], got " + codeAdapterDims);
        }
        if (loraRank <= 0) {
            throw new IllegalArgumentException("lora_rank must be positive, got " + loraRank);
        }
        if (!Double.isFinite(loraAlpha)) {
            throw new IllegalArgumentException("lora_alpha must be a finite number, got " + loraAlpha);
        }
        if (!Double.isFinite(kadaptScale)) {
            throw new IllegalArgumentException("kadapt_scale must be a finite number, got " + kadaptScale);
        }
        if (!adaptformerInput.equals("residual") && !adaptformerInput.equals("ln2")) {
            throw new IllegalArgumentException("adaptformer_input must be residual | ln2, got '" + adaptformerInput + "'");
        }
        if (kadaptN <= 0 || kadaptRank <= 0) {
            throw new IllegalArgumentException("kadapt_n and kadapt_rank must be positive, got " + kadaptN + ", " + kadaptRank);
        }
        if (vptTokens <= 0) {
            throw new IllegalArgumentException("vpt_tokens must be positive, got " + vptTokens);
        }
        if (!adapterPlacement.equals("mlp") && !adapterPlacement.equals("houlsby")) {
            throw new IllegalArgumentException("adapter_placement must be mlp | houlsby, got '" + adapterPlacement + "'");
        }
    }

    public MethodOptions withLora(int rank, double alpha) {
        return new MethodOptions(codeAdapterDims, rank, alpha, adaptformerInput, kadaptN, kadaptRank, kadaptScale,
                kadaptDeltaAfterScale, vptTokens, adapterPlacement);
    }

    public MethodOptions withKadapt(int n, int rank, double scale, boolean deltaAfterScale) {
        return new MethodOptions(codeAdapterDims, loraRank, loraAlpha, adaptformerInput, n, rank, scale, deltaAfterScale,
                vptTokens, adapterPlacement);
    }

    public MethodOptions withCodeAdapterDims(int h1, int h2) {
        return new MethodOptions(List.of(h1, h2), loraRank, loraAlpha, adaptformerInput, kadaptN, kadaptRank, kadaptScale,
                kadaptDeltaAfterScale, vptTokens, adapterPlacement);
    }

    public MethodOptions withAdaptformerInput(String in) {
        return new MethodOptions(codeAdapterDims, loraRank, loraAlpha, in, kadaptN, kadaptRank, kadaptScale,
                kadaptDeltaAfterScale, vptTokens, adapterPlacement);
    }

    public MethodOptions withVptTokens(int p) {
        return new MethodOptions(codeAdapterDims, loraRank, loraAlpha, adaptformerInput, kadaptN, kadaptRank, kadaptScale,
                kadaptDeltaAfterScale, p, adapterPlacement);
    }

    public MethodOptions withAdapterPlacement(String placement) {
        return new MethodOptions(codeAdapterDims, loraRank, loraAlpha, adaptformerInput, kadaptN, kadaptRank, kadaptScale,
                kadaptDeltaAfterScale, vptTokens, placement);
    }
}
