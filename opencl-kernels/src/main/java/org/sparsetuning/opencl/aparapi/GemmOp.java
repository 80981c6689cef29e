package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * c[M, N] = a[M, K] · b on the device, b either [K, N] ({@link GemmTile16Kernel}) or [N, K] used
 * transposed ({@link GemmTile16TransBKernel}). The operands stay in the kernel's device buffers between
 * calls: upload b once (a weight), then upload a, {@link #run()} and {@link #download} per call, or rerun
 * on resident data without any transfer.
 */
public final class GemmOp {
    private final CheckedExecutor executor;
    private final boolean transposedB;
    private final GemmTile16Kernel plain;
    private final GemmTile16TransBKernel trans;
    private int m;
    private int aK;
    private int bK;
    private int n;
    private Object residentB;

    public GemmOp(CheckedExecutor executor, boolean transposedB) {
        this.executor = executor;
        this.transposedB = transposedB;
        this.plain = transposedB ? null : executor.adopt(new GemmTile16Kernel());
        this.trans = transposedB ? executor.adopt(new GemmTile16TransBKernel()) : null;
    }

    public boolean transposedB() {
        return transposedB;
    }

    /** Uploads a [m, k], row-major from src[offset]. */
    public void uploadA(float[] src, int offset, int m, int k) {
        positive("m", m);
        positive("k", k);
        if (plain != null) {
            plain.a = DeviceArrays.upload(plain, plain.a, src, offset, m * k);
        } else {
            trans.a = DeviceArrays.upload(trans, trans.a, src, offset, m * k);
        }
        this.m = m;
        this.aK = k;
    }

    /**
     * Uploads b ([k, n], or [n, k] for the transposed variant), row-major from src[offset], unless
     * {@code residentKey} is non-null and equal to the key of the b already on the device: a frozen weight is
     * then not sent again.
     */
    public void uploadB(float[] src, int offset, int k, int n, Object residentKey) {
        positive("k", k);
        positive("n", n);
        if (residentKey != null && residentKey.equals(residentB) && k == bK && n == this.n) {
            return;
        }
        if (plain != null) {
            plain.b = DeviceArrays.upload(plain, plain.b, src, offset, k * n);
        } else {
            trans.b = DeviceArrays.upload(trans, trans.b, src, offset, k * n);
        }
        this.bK = k;
        this.n = n;
        this.residentB = residentKey;
    }

    /** Runs on the operands on the device; the product stays there until {@link #download}. */
    public void run() {
        if (m == 0 || n == 0) {
            throw new IllegalStateException("GemmOp.run before both operands were uploaded");
        }
        if (aK != bK) {
            throw new IllegalArgumentException("GEMM inner dimensions differ: a is [" + m + ", " + aK + "], b is "
                    + (transposedB ? "[" + n + ", " + bK + "] (used transposed)" : "[" + bK + ", " + n + "]"));
        }
        int k = aK;
        Kernel kernel;
        if (plain != null) {
            plain.c = DeviceArrays.sized(plain.c, m * n);
            plain.m = m;
            plain.n = n;
            plain.k = k;
            kernel = plain;
        } else {
            trans.c = DeviceArrays.sized(trans.c, m * n);
            trans.m = m;
            trans.n = n;
            trans.k = k;
            kernel = trans;
        }
        executor.execute(kernel, executor.grid(n, m, GemmTile16Kernel.TILE, GemmTile16Kernel.TILE));
    }

    /** Copies the last product, m × n row-major, to dst[offset, ...). */
    public void download(float[] dst, int offset) {
        if (plain != null) {
            DeviceArrays.download(plain, plain.c, dst, offset, m * n);
        } else {
            DeviceArrays.download(trans, trans.c, dst, offset, m * n);
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GEMM dimension " + name + " must be ≥ 1, got " + v);
        }
    }
}
