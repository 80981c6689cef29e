package org.sparsetuning.data;

import java.io.IOException;
import java.util.List;

/**
 * A finite, indexable collection of labelled images, read lazily. Implementations (IDX, CIFAR binary,
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

    /** Where the data came from, for messages: a file or folder path. */
    String source();
}
