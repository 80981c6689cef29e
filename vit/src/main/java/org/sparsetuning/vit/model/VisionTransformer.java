package org.sparsetuning.vit.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.nn.ModuleList;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.adapter.AdapterOutputs;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * ViT with timm parameter names (SPEC E.2) and the Sparse-Tuning method (SPEC A): Token Sparsification at
 * the configured layers and, for {@code sparse-tuning}, a paper-mode Dense Adapter in every block. The
 * backbone is frozen by {@link #freezeBackbone()}; adapters and the head train.
 */
public final class VisionTransformer extends Module {
    public final VitConfig cfg;
    public final Variable clsToken;
    public final Variable posEmbed;
    public final PatchEmbed patchEmbed;
    public final ModuleList<Block> blocks;
    public final LayerNorm norm;
    public final Linear head;
    private TokenTracker lastTokens;

    public VisionTransformer(VitConfig cfg, Generator g) {
        this.cfg = cfg;
        boolean denseAdapters = switch (cfg.method()) {
            case VitConfig.SPARSE_TUNING -> true;
            case VitConfig.TOKEN_SPARSIFICATION, VitConfig.LINEAR_PROBE -> false;
            default -> throw new IllegalArgumentException("method '" + cfg.method() + "' is not implemented in this engine "
                    + "(supported: sparse-tuning, token-sparsification, linear-probe)");
        };
        if (denseAdapters && !cfg.denseMode().equals("paper")) {
            throw new IllegalArgumentException("dense_mode '" + cfg.denseMode() + "' is not implemented (supported: paper)");
        }
        if (!cfg.headMode().equals("linear")) {
            throw new IllegalArgumentException("head_mode '" + cfg.headMode() + "' is not implemented (supported: linear)");
        }
        int dim = cfg.embedDim();
        this.clsToken = parameter("cls_token", Tensor.of(g.truncatedNormal(dim, 0, 1e-6, -2, 2), 1, 1, dim));
        this.posEmbed = parameter("pos_embed", Tensor.of(g.truncatedNormal((cfg.numPatches() + 1) * dim, 0, 0.02, -2, 2),
                1, cfg.numPatches() + 1, dim));
        this.patchEmbed = child("patch_embed", new PatchEmbed(cfg.patchSize(), cfg.inChans(), dim, g));
        this.blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < cfg.depth(); i++) {
            blocks.add(new Block(i, cfg, denseAdapters, g));
        }
        this.norm = child("norm", new LayerNorm(dim, Block.LN_EPS));
        this.head = child("head", new Linear(dim, cfg.numClasses(), g));
    }

    /** The names that train: the head and the Dense Adapters. */
    public static boolean isTrainableName(String name) {
        return name.startsWith("head.") || name.matches("blocks\\.\\d+\\.dense_adapter\\..*");
    }

    /** Freezes everything but the adapters and the head (and marks the frozen storages constant). */
    public VisionTransformer freezeBackbone() {
        freeze("^(?!head\\.|blocks\\.\\d+\\.dense_adapter\\.).*");
        return this;
    }

    /** Tensors that belong to the backbone file (everything not trainable). */
    public Map<String, Variable> backboneParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (!isTrainableName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Trainable tensors by name, in model order. */
    public Map<String, Variable> trainableNamed() {
        Map<String, Variable> out = new LinkedHashMap<>();
        namedParameters().forEach((k, v) -> {
            if (isTrainableName(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** images [B, C, H, W] (normalised) → logits [B, classes]. */
    public Variable forward(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != cfg.inChans() || s[2] != cfg.imgSize() || s[3] != cfg.imgSize()) {
            throw new IllegalArgumentException("images must be [B, " + cfg.inChans() + ", " + cfg.imgSize() + ", "
                    + cfg.imgSize() + "], got " + Arrays.toString(s));
        }
        int b = s[0];
        Variable patches;
        try (FlopCounter.Scope r = FlopCounter.region("patch_embed")) {
            patches = patchEmbed.forward(images);
        }
        Variable x = F.concat(1, clsToken.expand(b, 1, cfg.embedDim()), patches).add(posEmbed);
        TokenTracker tokens = new TokenTracker(cfg.keepRate(), cfg.tsLayers(), cfg.fusion(), b, cfg.numPatches());
        AdapterOutputs adapterOutputs = new AdapterOutputs(tokens);
        int reach = cfg.denseInputs().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Block blk : blocks) {
            try (FlopCounter.Scope r = FlopCounter.region("blocks." + blk.index)) {
                x = blk.forward(x, tokens, adapterOutputs);
            }
            adapterOutputs.forgetBefore(blk.index + 1 - reach);
        }
        lastTokens = tokens;
        // The final LN runs on all tokens, as in the reference (SPEC A.1), although only the CLS row reaches
        // the head: the shapes executed are then the reference's, so counted flops match fvcore's (SPEC A.9).
        // The CLS row is copied out so that the head, which keeps its input for backward, does not pin the
        // whole normalised sequence.
        Variable cls;
        try (FlopCounter.Scope r = FlopCounter.region("norm")) {
            cls = norm.forward(x).select(1, 0).contiguous();
        }
        try (FlopCounter.Scope r = FlopCounter.region("head")) {
            return head.forward(cls);
        }
    }

    /** The token state of the last forward pass: kept tokens per sparsifying layer, the selections. */
    public TokenTracker lastTokens() {
        return lastTokens;
    }
}
