package org.sparsetuning.vit.peft;

import java.util.Set;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.MethodProvider;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/** The baselines (and Token Sparsification alone), each attached by its config name. */
public final class Baselines implements MethodProvider {
    @Override
    public Set<String> methods() {
        return Set.of(VitConfig.TOKEN_SPARSIFICATION, VitConfig.LINEAR_PROBE, VitConfig.LORA, VitConfig.ADAPTFORMER,
                VitConfig.KADAPTATION, VitConfig.ADAPTER, VitConfig.VPT, VitConfig.BITFIT, VitConfig.FULL);
    }

    @Override
    public MethodHooks attach(VisionTransformer model, Generator g) {
        return switch (model.cfg.method()) {
            // The head alone trains; token-sparsification is the model's own TS at ts_layers.
            case VitConfig.TOKEN_SPARSIFICATION, VitConfig.LINEAR_PROBE -> MethodHooks.NONE;
            case VitConfig.LORA -> new Lora(model, g);
            case VitConfig.ADAPTFORMER -> new AdaptFormer(model, g);
            case VitConfig.KADAPTATION -> new KAdaptation(model, g);
            case VitConfig.ADAPTER -> new Adapters(model, g);
            case VitConfig.VPT -> new Vpt(model, g);
            case VitConfig.BITFIT -> new BitFit();
            case VitConfig.FULL -> new FullFineTuning();
            default -> throw new IllegalArgumentException("method '" + model.cfg.method() + "' is not a baseline");
        };
    }
}
