package org.sparsetuning.vit.model;

import java.util.Set;
import org.sparsetuning.tensor.random.Generator;

/**
 * Attaches fine-tuning methods to a built backbone. Implementations live outside this package (the baselines in
 * {@code peft}, Sparse-Tuning's adapters in {@code adapter}) and are found through {@link java.util.ServiceLoader}
 * by {@link MethodRegistry}, so the model package depends on none of them.
 */
public interface MethodProvider {
    /** The config {@code method} names this provider attaches. */
    Set<String> methods();

    /**
     * Registers the method's tensors in the model tree (under {@code blocks.i.*} or at the top) and returns its
     * hooks. Called once, at the end of the model's constructor, with the generator that initialised the backbone.
     */
    MethodHooks attach(VisionTransformer model, Generator g);
}
