package org.sparsetuning.data.transforms;

import org.sparsetuning.tensor.random.Generator;

/**
 * One step of a {@link TransformPipeline}. Random steps draw only from the generator they are given, which
 * the loader derives from (seed, epoch, example index), so an example's augmentation does not depend on the
 * thread that decodes it or on the order examples are processed in. Implementations must not modify
 * {@code in.pixels()} in place (the array may belong to a cached dataset) and must be thread-safe.
 */
public interface Transform {
    Image apply(Image in, Generator rng);

    /** A short description for logs, e.g. {@code Resize(256, shorter side, bicubic)}. */
    String describe();

    /** Whether {@link #apply} draws from the generator (such a pipeline is not for evaluation). */
    default boolean isRandom() {
        return false;
    }
}
