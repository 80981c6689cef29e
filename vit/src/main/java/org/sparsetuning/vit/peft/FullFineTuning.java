package org.sparsetuning.vit.peft;

import org.sparsetuning.vit.model.MethodHooks;

/** Full fine-tuning: every backbone tensor trains, CLS token and position embedding included. */
public final class FullFineTuning implements MethodHooks {
    @Override
    public boolean trainsBackbone(String name) {
        return true;
    }
}
