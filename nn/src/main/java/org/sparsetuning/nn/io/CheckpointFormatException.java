package org.sparsetuning.nn.io;

import java.io.IOException;

/**
 * A checkpoint file that cannot be trusted: malformed, truncated or inconsistent. It is an
 * {@link IOException} so callers handle one family of failures, but the message always names the file (and
 * the tensor or key) and says what was wrong, so a bad download is told apart from a bad disk.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
