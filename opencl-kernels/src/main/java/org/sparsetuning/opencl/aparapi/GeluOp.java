package org.sparsetuning.opencl.aparapi;

/** GELU forward (x → GELU(x)) and backward (x, dy → dy·GELU'(x)) on the device ({@link GeluKernel}). */
public final class GeluOp {
    private final CheckedExecutor executor;
    private final GeluKernel kernel;
    private boolean haveGrad;

    public GeluOp(CheckedExecutor executor) {
        this.executor = executor;
        this.kernel = executor.adopt(new GeluKernel());
    }

    /** Uploads x for a forward pass. */
    public void upload(float[] x, int offset, int n) {
        kernel.x = DeviceArrays.upload(kernel, kernel.x, x, offset, n);
        kernel.n = n;
        haveGrad = false;
    }

    /** Uploads x and the upstream gradient dy (same length) for a backward pass. */
    public void upload(float[] x, int xOffset, float[] dy, int dyOffset, int n) {
        upload(x, xOffset, n);
        kernel.dy = DeviceArrays.upload(kernel, kernel.dy, dy, dyOffset, n);
        haveGrad = true;
    }

    public void runForward() {
        run(0);
    }

    public void runBackward() {
        if (!haveGrad) {
            throw new IllegalStateException("GeluOp.runBackward needs x and dy uploaded together");
        }
        run(1);
    }

    private void run(int backward) {
        if (kernel.n == 0) {
            throw new IllegalStateException("GeluOp.run before upload");
        }
        kernel.backward = backward;
        kernel.out = DeviceArrays.sized(kernel.out, kernel.n);
        executor.execute(kernel, executor.linear(kernel.n));
    }

    public void download(float[] dst, int offset) {
        DeviceArrays.download(kernel, kernel.out, dst, offset, kernel.n);
    }
}
