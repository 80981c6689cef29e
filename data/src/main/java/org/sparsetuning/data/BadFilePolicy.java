package org.sparsetuning.data;

/** What a {@link DataLoader} does with an example whose file cannot be read or decoded. */
public enum BadFilePolicy {
    /** End the epoch with a {@link BadFileException} naming the file. */
    STOP,
    /** Leave the example out of its batch, log the file, and count it ({@link DataLoader#skipped()}). */
    SKIP
}
