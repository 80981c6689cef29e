package org.sparsetuning.train;

import java.util.Iterator;
import org.sparsetuning.data.Batch;

/** The batches of one pass over a {@link TrainingData}; closing it stops any background preparation. */
public interface BatchStream extends Iterator<Batch>, AutoCloseable {
    @Override
    void close();
}
