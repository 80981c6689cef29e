package org.sparsetuning.vit.peft;

import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.adapter.CodeAdapters;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/** The method named by {@code method} (and, for Sparse-Tuning, {@code dense_mode}), attached to a built backbone. */
public final class Methods {
    private Methods() {
    }

    /**
     * Registers the method's tensors in the model tree and returns its hooks. Paper-mode Dense Adapters are part of
     * the blocks themselves, so {@code sparse-tuning} in paper mode, {@code token-sparsification} and
     * {@code linear-probe} need no hooks.
     */
    public static MethodHooks attach(VisionTransformer model, Generator g) {
        VitConfig cfg = model.cfg;
        return switch (cfg.method()) {
            case VitConfig.SPARSE_TUNING -> cfg.denseMode().equals("code") ? new CodeAdapters(model, g) : MethodHooks.NONE;
            case VitConfig.TOKEN_SPARSIFICATION, VitConfig.LINEAR_PROBE -> MethodHooks.NONE;
            case VitConfig.LORA -> new Lora(model, g);
            case VitConfig.ADAPTFORMER -> new AdaptFormer(model, g);
            case VitConfig.KADAPTATION -> new KAdaptation(model, g);
            case VitConfig.ADAPTER -> new Adapters(model, g);
            case VitConfig.VPT -> new Vpt(model, g);
            case VitConfig.BITFIT -> new BitFit();
            case VitConfig.FULL -> new FullFineTuning();
            default -> throw new IllegalArgumentException("method '" + cfg.method() + "' is not implemented in this engine");
        };
    }
}
