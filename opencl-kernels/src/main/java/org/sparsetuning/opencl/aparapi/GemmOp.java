package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.Range;

/**
 * c[M, N] = a[M, K] · b on the device, b either [K, N] or [N, K] used transposed, through one of the tiled
 * kernels ({@link Tiling}). The operands stay in the kernel's device buffers between calls: upload b once
 * (a weight), then upload a, {@link #run()} and {@link #download} per call, or rerun on resident data
 * without any transfer.
 */
public final class GemmOp {
    /** Which kernel computes the product. */
    public enum Tiling {
        /** {@link GemmTile16Kernel} / {@link GemmTile16TransBKernel}: one output per work-item. */
        TILE16,
        /** {@link GemmTile64Kernel}: a 64 × 64 block per group, 4 × 4 outputs per work-item. */
        TILE64
    }

    private final CheckedExecutor executor;
    private final boolean transposedB;
    private final Tiling tiling;
    private final GemmTile16Kernel tile16;
    private final GemmTile16TransBKernel tile16T;
    private final GemmTile64Kernel tile64;
    private final Kernel kernel;
    private int m;
    private int aK;
    private int bK;
    private int n;
    private Object residentB;

    public GemmOp(CheckedExecutor executor, boolean transposedB, Tiling tiling) {
        this.executor = executor;
        this.transposedB = transposedB;
        this.tiling = tiling;
        this.tile16 = tiling == Tiling.TILE16 && !transposedB ? executor.adopt(new GemmTile16Kernel()) : null;
        this.tile16T = tiling == Tiling.TILE16 && transposedB ? executor.adopt(new GemmTile16TransBKernel()) : null;
        this.tile64 = tiling == Tiling.TILE64 ? executor.adopt(new GemmTile64Kernel()) : null;
        if (tile64 != null) {
            tile64.bTransposed = transposedB ? 1 : 0;
        }
        this.kernel = tile16 != null ? tile16 : tile16T != null ? tile16T : tile64;
    }

    public boolean transposedB() {
        return transposedB;
    }

    public Tiling tiling() {
        return tiling;
    }

    /** Uploads a [m, k], row-major from src[offset]. */
    public void uploadA(float[] src, int offset, int m, int k) {
        positive("m", m);
        positive("k", k);
        float[] a = DeviceArrays.upload(kernel, currentA(), src, offset, Math.multiplyExact(m, k));
        if (tile16 != null) {
            tile16.a = a;
        } else if (tile16T != null) {
            tile16T.a = a;
        } else {
            tile64.a = a;
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
        float[] b = DeviceArrays.upload(kernel, currentB(), src, offset, Math.multiplyExact(k, n));
        if (tile16 != null) {
            tile16.b = b;
        } else if (tile16T != null) {
            tile16T.b = b;
        } else {
            tile64.b = b;
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
        int size = Math.multiplyExact(m, n);
        Range range;
        if (tile16 != null) {
            tile16.c = DeviceArrays.sized(tile16.c, size);
            tile16.m = m;
            tile16.n = n;
            tile16.k = aK;
            range = executor.grid(n, m, GemmTile16Kernel.TILE, GemmTile16Kernel.TILE);
        } else if (tile16T != null) {
            tile16T.c = DeviceArrays.sized(tile16T.c, size);
            tile16T.m = m;
            tile16T.n = n;
            tile16T.k = aK;
            range = executor.grid(n, m, GemmTile16TransBKernel.TILE, GemmTile16TransBKernel.TILE);
        } else {
            tile64.c = DeviceArrays.sized(tile64.c, size);
            tile64.m = m;
            tile64.n = n;
            tile64.k = aK;
            int blocksX = (n + GemmTile64Kernel.BLOCK - 1) / GemmTile64Kernel.BLOCK;
            int blocksY = (m + GemmTile64Kernel.BLOCK - 1) / GemmTile64Kernel.BLOCK;
            range = executor.grid(blocksX * 16, blocksY * 16, 16, 16);
        }
        executor.execute(kernel, range);
    }

    /** Copies the last product, m × n row-major, to dst[offset, ...). */
    public void download(float[] dst, int offset) {
        float[] c = tile16 != null ? tile16.c : tile16T != null ? tile16T.c : tile64.c;
        DeviceArrays.download(kernel, c, dst, offset, m * n);
    }

    private float[] currentA() {
        return tile16 != null ? tile16.a : tile16T != null ? tile16T.a : tile64.a;
    }

    private float[] currentB() {
        return tile16 != null ? tile16.b : tile16T != null ? tile16T.b : tile64.b;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GEMM dimension " + name + " must be ≥ 1, got " + v);
        }
    }
}
