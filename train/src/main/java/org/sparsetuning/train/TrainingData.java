package org.sparsetuning.train;

import java.util.List;

/**
 * Labelled examples ready for the model, in batches. Training visits them in an order drawn from (seed, epoch)
 * alone, with any random augmentation drawn from (seed, epoch, example) as {@link org.sparsetuning.data.loader.DataLoader}
 * does, so that a run resumed at (epoch, batch) sees exactly the batches an uninterrupted run would.
 */
public interface TrainingData {
    int size();

    /** Class names, indexed by label. */
    List<String> classNames();

    /** Where the examples come from, for messages. */
    String source();

    /**
     * The training batches of {@code epoch} (images [B, C, H, W], or clips [B, C, T, H, W], F32 normalised, labels
     * [B] I32), shuffled by
     * (seed, epoch), starting at batch {@code first}. Tensors are made by {@code next()}, in the caller's scope.
     */
    BatchStream shuffled(int epoch, int first, int batchSize, long seed);

    /** Every example in index order, without augmentation (evaluation). */
    BatchStream inOrder(int batchSize);
}
