package org.sparsetuning.vit.peft;

import org.sparsetuning.vit.model.MethodHooks;

/**
 * BitFit: every bias of the backbone trains (patch embedding, qkv, proj, fc1, fc2 and the LayerNorm shifts,
 * as BitFit trains "all bias terms"), the rest stays frozen. ViT-B: 102,912 tensors' elements besides the head.
 */
public final class BitFit implements MethodHooks {
    @Override
    public boolean trainsBackbone(String name) {
        return name.endsWith(".bias");
    }
}
