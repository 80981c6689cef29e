package org.sparsetuning.opencl.aparapi;

/**
 * No OpenCL device can be used through Aparapi: its native library or the OpenCL loader did not load, no
 * platform or device is installed, or the requested device does not exist. The message says which.
 */
public final class AparapiUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AparapiUnavailableException(String message) {
        super(message);
    }

    public AparapiUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
