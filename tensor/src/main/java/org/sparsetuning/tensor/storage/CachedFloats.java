package org.sparsetuning.tensor.storage;

/**
 * A kernel's growable working array (packing buffers, attention's per-thread scores), kept between calls and
 * counted in {@link MemoryTracker#cachedBytes()} for as long as it is held, so every buffer the engine keeps is
 * in the figure a user provisions by. Not thread-safe: one per thread.
 */
public final class CachedFloats {
    private float[] data = new float[0];
    private MemoryTracker.Held held = MemoryTracker.holdCache(0);

    /** The array, grown (and its count moved) first if it holds fewer than {@code n} floats. */
    public float[] atLeast(long n) {
        if (data.length < n) {
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("working array of " + n + " floats exceeds a Java array");
            }
            held.release();
            data = null;
            held = MemoryTracker.holdCache(4L * n);
            data = new float[(int) n];
        }
        return data;
    }
}
