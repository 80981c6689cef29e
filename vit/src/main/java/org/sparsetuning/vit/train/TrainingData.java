package org.sparsetuning.vit.train;

import java.io.IOException;
import java.util.List;
import org.sparsetuning.vit.data.Batch;

/**
 * Examples ready for the model, fetched by index. The trainer decides the order (a permutation drawn from the
 * seed and the epoch), so a resumed run visits the same examples in the same order; {@code epoch} is passed
 * so that any random augmentation can be drawn from it too and come out the same after a resume.
 */
public interface TrainingData {
    int size();

    /** Class names, indexed by label. */
    List<String> classNames();

    /**
     * The examples at {@code indices}, transformed and normalised: images [B, C, H, W] F32, labels [B] I32.
     *
     * @throws IOException naming the file when an example cannot be read
     */
    Batch batch(int epoch, int[] indices) throws IOException;

    /** Where the examples come from, for messages. */
    String source();
}
