package org.sparsetuning.tensor.storage;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live and peak bytes of tensor storage, the JVM counterpart of {@code torch.cuda.memory_allocated} and
 * {@code max_memory_allocated}. A storage counts from its allocation until it is released: explicitly, when
 * its last reference is dropped through {@link Storage#release()}, or, as a safety net, when the garbage
 * collector reclaims it.
 *
 * <p>Because the safety net runs whenever the collector does, global figures can drop when garbage from
 * earlier work is collected. A {@link Measurement} counts only storages allocated while it is open, which
 * makes it exact for one piece of work (a training step, a test).
 *
 * <p>Buffers that a backend keeps between calls beside tensor storage (GEMM packing buffers, padding of packed
 * frozen weights, the {@link ArrayPool} of released tensor arrays) are counted apart, as {@link #cachedBytes()}, the way PyTorch reports a caching allocator's
 * reserve apart from allocated memory; they never enter a {@link Measurement}, which stays exact for tensors.
 */
public final class MemoryTracker {
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();
    private static final CopyOnWriteArrayList<Measurement> OPEN = new CopyOnWriteArrayList<>();
    private static final Measurement[] NONE = new Measurement[0];
    private static final AtomicLong CACHED = new AtomicLong();
    private static final AtomicLong CACHED_PEAK = new AtomicLong();

    private MemoryTracker() {
    }

    /** Records an allocation; returns the measurements it counts in (so its release is counted there too). */
    static Measurement[] allocated(long bytes) {
        long now = LIVE.addAndGet(bytes);
        PEAK.accumulateAndGet(now, Math::max);
        if (OPEN.isEmpty()) {
            return NONE;
        }
        Measurement[] ms = OPEN.toArray(NONE);
        for (Measurement m : ms) {
            m.add(bytes);
        }
        return ms;
    }

    static void freed(long bytes, Measurement[] ms) {
        LIVE.addAndGet(-bytes);
        for (Measurement m : ms) {
            m.add(-bytes);
        }
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

    /** Bytes of backend caches held now (see {@link #holdCache}). */
    public static long cachedBytes() {
        return CACHED.get();
    }

    /** Highest {@link #cachedBytes()} since start-up. */
    public static long peakCachedBytes() {
        return CACHED_PEAK.get();
    }

    /** Moves the cached bytes by {@code delta}: for caches that count themselves (the {@link ArrayPool}). */
    static void cacheChanged(long delta) {
        long now = CACHED.addAndGet(delta);
        if (delta > 0) {
            CACHED_PEAK.accumulateAndGet(now, Math::max);
        }
    }

    /** Counts a backend cache of {@code bytes} until the returned handle is released. */
    public static Held holdCache(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cache of " + bytes + " bytes");
        }
        long now = CACHED.addAndGet(bytes);
        CACHED_PEAK.accumulateAndGet(now, Math::max);
        return new Held(bytes);
    }

    /** One counted cache buffer; {@link #release()} once, when the buffer is dropped. */
    public static final class Held {
        private final long bytes;
        private boolean released;

        private Held(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        public synchronized void release() {
            if (released) {
                throw new IllegalStateException("cache of " + bytes + " bytes released twice");
            }
            released = true;
            CACHED.addAndGet(-bytes);
        }
    }

    /** Opens a measurement of the storages allocated from now until it is closed. */
    public static Measurement measure() {
        Measurement m = new Measurement();
        OPEN.add(m);
        return m;
    }

    /** Live and peak bytes of the storages allocated while this measurement was open. */
    public static final class Measurement implements AutoCloseable {
        private final AtomicLong live = new AtomicLong();
        private final AtomicLong peak = new AtomicLong();

        private Measurement() {
        }

        void add(long bytes) {
            long now = live.addAndGet(bytes);
            peak.accumulateAndGet(now, Math::max);
        }

        /** Bytes allocated since the measurement opened and not yet released. */
        public long liveBytes() {
            return live.get();
        }

        /** The highest {@link #liveBytes()} reached. */
        public long peakBytes() {
            return peak.get();
        }

        /** Restarts the peak from the current live bytes. */
        public void resetPeak() {
            peak.set(live.get());
        }

        /** Stops counting new allocations (releases of already counted storages still count). */
        @Override
        public void close() {
            OPEN.remove(this);
        }
    }
}
