package org.sparsetuning.opencl.aparapi;

/**
 * out = a + b or a ⊙ b on the device, b either of a's size or a trailing block of it repeated
 * ({@link BroadcastBinaryKernel}). Upload, run (as often as wanted on resident data), download.
 */
public final class BroadcastBinaryOp {
    public enum Kind { ADD, MUL }

    private final CheckedExecutor executor;
    private final BroadcastBinaryKernel kernel;

    public BroadcastBinaryOp(CheckedExecutor executor) {
        this.executor = executor;
        this.kernel = executor.adopt(new BroadcastBinaryKernel());
    }

    /** a from aSrc[aOffset, +n), b from bSrc[bOffset, +bLength); bLength must divide n. */
    public void upload(float[] aSrc, int aOffset, int n, float[] bSrc, int bOffset, int bLength) {
        if (n < 1 || bLength < 1 || n % bLength != 0) {
            throw new IllegalArgumentException("broadcast operand of " + bLength + " elements does not tile " + n + " elements");
        }
        kernel.a = DeviceArrays.upload(kernel, kernel.a, aSrc, aOffset, n);
        kernel.b = DeviceArrays.upload(kernel, kernel.b, bSrc, bOffset, bLength);
        kernel.n = n;
        kernel.bLength = bLength;
    }

    public void run(Kind kind) {
        if (kernel.n == 0) {
            throw new IllegalStateException("BroadcastBinaryOp.run before upload");
        }
        kernel.op = kind == Kind.MUL ? BroadcastBinaryKernel.MUL : BroadcastBinaryKernel.ADD;
        kernel.out = DeviceArrays.sized(kernel.out, kernel.n);
        executor.execute(kernel, executor.linear(kernel.n));
    }

    public void download(float[] dst, int offset) {
        DeviceArrays.download(kernel, kernel.out, dst, offset, kernel.n);
    }
}
