package org.sparsetuning.data;

import java.io.IOException;

/**
 * A data file (image, IDX, CIFAR batch, list file, class folder) that cannot be used: missing, malformed,
 * truncated, or declaring more than it holds. The message starts with the file and names the record, line or
 * field and what was expected, so it can be shown to the user as it is. Readers check every declared size
 * against the real input before allocating, so a corrupt file ends here rather than in an OutOfMemoryError.
 */
public final class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFileException(String message) {
        super(message);
    }

    public DataFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
