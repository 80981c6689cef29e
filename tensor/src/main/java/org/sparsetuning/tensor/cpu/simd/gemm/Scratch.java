package org.sparsetuning.tensor.cpu.simd.gemm;

/**
 * Per-thread packing buffers, grown on demand and reused, so a product allocates (and zeroes) nothing on the
 * hot path. The B buffers can reach K x N floats (12 MB for a 3072 x 768 weight) and stay with the thread.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** Edge tiles are computed here whole, then the valid part is copied out. */
    final float[] tile = new float[MicroKernel8x3v.MR * MicroKernel8x3v.NR];
    private float[] a = new float[0];
    /** B packed once and shared by all threads of one product (owned by the calling thread). */
    private float[] sharedB = new float[0];
    /** B packed by a worker for one matrix of a batch; separate so it can never overwrite sharedB. */
    private float[] batchB = new float[0];

    static Scratch get() {
        return LOCAL.get();
    }

    float[] a(int n) {
        if (a.length < n) {
            a = new float[n];
        }
        return a;
    }

    float[] sharedB(long n) {
        if (sharedB.length < n) {
            sharedB = new float[checkedLength(n)];
        }
        return sharedB;
    }

    float[] batchB(long n) {
        if (batchB.length < n) {
            batchB = new float[checkedLength(n)];
        }
        return batchB;
    }

    static int checkedLength(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matmul: packed operand of " + n + " floats exceeds a Java array");
        }
        return (int) n;
    }
}
