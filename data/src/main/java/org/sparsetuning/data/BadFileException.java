package org.sparsetuning.data;

import java.io.IOException;

/**
 * An example could not be read under {@link BadFilePolicy#STOP}. The message names the file (the readers'
 * {@link IOException} messages start with it) and the example's index in the dataset.
 */
public final class BadFileException extends RuntimeException {
    private final int index;

    public BadFileException(int index, IOException cause) {
        super(cause.getMessage() + " (example " + index + ")", cause);
        this.index = index;
    }

    /** The dataset index of the example. */
    public int index() {
        return index;
    }
}
