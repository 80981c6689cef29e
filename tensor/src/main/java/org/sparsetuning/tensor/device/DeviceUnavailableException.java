package org.sparsetuning.tensor.device;

/** A device was asked for and cannot be used; {@link #reason()} says which step failed, the message why. */
public final class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Where opening a device failed, from the class path down to the index. */
    public enum Reason {
        /** The spec names no known kind, or no provider jar for the kind is on the class path. */
        NO_PROVIDER,
        /** The native loader library (libOpenCL.so.1, say) or the provider's own native part is missing. */
        NO_LOADER,
        /** The loader found no platform (no ICD installed: PoCL, a GPU driver). */
        NO_PLATFORM,
        /** Platforms exist but offer no device. */
        NO_DEVICE,
        /** Fewer devices than the index asks for. */
        INDEX_OUT_OF_RANGE,
        /** The device exists but setting it up (context, queue, first kernels) failed. */
        INIT_FAILED
    }

    private final Reason reason;

    public DeviceUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DeviceUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
