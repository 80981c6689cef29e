package org.sparsetuning.data;

import java.io.IOException;
import java.util.List;
import org.sparsetuning.tensor.random.Generator;

/**
 * A finite, indexable collection of labelled images or video clips, read lazily. Implementations (IDX, CIFAR binary,
 * ImageFolder, VTAB list files) decode one example per {@link #get} call, so a loader can spread decoding
 * over threads; they must be safe to call from several threads at once.
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** Class names, indexed by label; {@code classNames().size()} is the number of classes. */
    List<String> classNames();

    /** The label of example {@code index}, without decoding its image (for splits and class filtering). */
    int label(int index);

    /**
     * Decodes example {@code index}: its image as raw pixels and its label.
     *
     * @throws IOException naming the file (and entry) when the image cannot be read or decoded
     */
    Sample get(int index) throws IOException;

    /**
     * Decodes example {@code index} for a model input: a clip dataset decodes the frames that {@code frames} picks
     * (drawing from {@code draws} when the sampling is random) into a C×T×H×W sample; an image dataset ignores
     * both and returns {@link #get(int)}. Views over another dataset must pass both on.
     *
     * @param frames the clip's frame sampling, or null for a model of images
     * @param draws the example's random stream for frame sampling (may be null when the sampling is not random)
     */
    default Sample get(int index, FrameSampling frames, Generator draws) throws IOException {
        return get(index);
    }

    /** Where the data came from, for messages: a file or folder path. */
    String source();
}
