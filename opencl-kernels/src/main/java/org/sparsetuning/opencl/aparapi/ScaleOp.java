package org.sparsetuning.opencl.aparapi;

/** out = x · s on the device ({@link ScaleKernel}). */
public final class ScaleOp {
    private final CheckedExecutor executor;
    private final ScaleKernel kernel;

    public ScaleOp(CheckedExecutor executor) {
        this.executor = executor;
        this.kernel = executor.adopt(new ScaleKernel());
    }

    public void upload(float[] src, int offset, int n) {
        kernel.x = DeviceArrays.upload(kernel, kernel.x, src, offset, n);
        kernel.n = n;
    }

    public void run(float scale) {
        if (kernel.n == 0) {
            throw new IllegalStateException("ScaleOp.run before upload");
        }
        kernel.scale = scale;
        kernel.out = DeviceArrays.sized(kernel.out, kernel.n);
        executor.execute(kernel, executor.linear(kernel.n));
    }

    public void download(float[] dst, int offset) {
        DeviceArrays.download(kernel, kernel.out, dst, offset, kernel.n);
    }
}
