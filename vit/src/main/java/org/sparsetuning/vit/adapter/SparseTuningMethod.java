package org.sparsetuning.vit.adapter;

import java.util.Set;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.MethodProvider;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * {@code sparse-tuning}: Token Sparsification (the model's own, at {@code ts_layers}) with the paper's Dense Adapters
 * ({@link DenseAdapters}), or with the official code's adapters and stage sums ({@code dense_mode: code},
 * {@link CodeAdapters}).
 */
public final class SparseTuningMethod implements MethodProvider {
    @Override
    public Set<String> methods() {
        return Set.of(VitConfig.SPARSE_TUNING);
    }

    @Override
    public MethodHooks attach(VisionTransformer model, Generator g) {
        return model.cfg.denseMode().equals("code") ? new CodeAdapters(model, g) : new DenseAdapters(model, g);
    }
}
