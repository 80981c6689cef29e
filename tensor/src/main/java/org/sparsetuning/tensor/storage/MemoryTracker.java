package org.sparsetuning.tensor.storage;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live and peak bytes of tensor storage, the JVM counterpart of {@code torch.cuda.memory_allocated} and
 * {@code max_memory_allocated}. A storage counts from its allocation until it is released: explicitly, when
 * its last reference is dropped through {@link Storage#release()}, or, as a safety net, when the garbage
 * collector reclaims it.
 */
public final class MemoryTracker {
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();

    private MemoryTracker() {
    }

    static void allocated(long bytes) {
        long now = LIVE.addAndGet(bytes);
        PEAK.accumulateAndGet(now, Math::max);
    }

    static void freed(long bytes) {
        LIVE.addAndGet(-bytes);
    }

    /** Bytes of tensor storage alive now. */
    public static long liveBytes() {
        return LIVE.get();
    }

    /** Highest {@link #liveBytes()} since start-up or the last {@link #resetPeak()}. */
    public static long peakBytes() {
        return PEAK.get();
    }

    /** Starts a new peak measurement from the current live bytes. */
    public static void resetPeak() {
        PEAK.set(LIVE.get());
    }
}
