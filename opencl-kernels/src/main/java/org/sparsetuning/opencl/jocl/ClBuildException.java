package org.sparsetuning.opencl.jocl;

/** A kernel file did not compile for a device; the message carries the compiler's log. */
public final class ClBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String buildLog;

    ClBuildException(String program, String options, String device, String buildLog, Throwable cause) {
        super("OpenCL program " + program + " failed to build for " + device + " with options [" + options + "]:\n" + buildLog, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
