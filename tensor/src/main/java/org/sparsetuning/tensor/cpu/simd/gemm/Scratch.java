package org.sparsetuning.tensor.cpu.simd.gemm;

import org.sparsetuning.tensor.storage.CachedFloats;
import org.sparsetuning.tensor.storage.MemoryTracker;

/**
 * Per-thread packing buffers, grown on demand and reused, so a product allocates (and zeroes) nothing on the
 * hot path. The B buffers can reach K x N floats (9.4 MB for a 3072 x 768 weight) and stay with the thread;
 * every buffer is counted in {@link MemoryTracker#cachedBytes()} while the thread holds it.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** Edge tiles are computed here whole, then the valid part is copied out. */
    final float[] tile = new float[MicroKernel8x3v.MR * MicroKernel8x3v.NR];
    private final CachedFloats a = new CachedFloats();
    /** B packed once and shared by all threads of one product (owned by the calling thread). */
    private final CachedFloats sharedB = new CachedFloats();
    /** B packed by a worker for one matrix of a batch; separate so it can never overwrite sharedB. */
    private final CachedFloats batchB = new CachedFloats();
    /** One K block of one B panel, packed by this thread just before it multiplies it ({@link PackedB#source}). */
    private final CachedFloats blockB = new CachedFloats();

    static Scratch get() {
        return LOCAL.get();
    }

    float[] a(int n) {
        return a.atLeast(n);
    }

    float[] sharedB(long n) {
        return sharedB.atLeast(n);
    }

    float[] batchB(long n) {
        return batchB.atLeast(n);
    }

    float[] blockB(long n) {
        return blockB.atLeast(n);
    }

    static int checkedLength(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matmul: packed operand of " + n + " floats exceeds a Java array");
        }
        return (int) n;
    }
}
