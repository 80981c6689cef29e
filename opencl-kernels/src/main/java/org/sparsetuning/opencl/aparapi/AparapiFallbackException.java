package org.sparsetuning.opencl.aparapi;

/**
 * A kernel did not run on the chosen OpenCL device. Aparapi's own answer to that is to run the kernel's
 * Java code on a thread pool and return its result as if nothing happened; this engine treats it as an
 * error instead, so a benchmark or a test never reports Java-thread-pool numbers as GPU numbers.
 */
public final class AparapiFallbackException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String kernelName;

    public AparapiFallbackException(Class<?> kernel, String message) {
        super("Aparapi kernel " + kernel.getSimpleName() + " did not run on OpenCL: " + message);
        this.kernelName = kernel.getName();
    }

    /** The kernel class, fully qualified. */
    public String kernelName() {
        return kernelName;
    }
}
