package org.sparsetuning.tensor.storage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.NotificationEmitter;

/**
 * Float arrays of released tensor storages, kept for the next storage of the same length. A training step
 * allocates the same shapes every step; without the pool each of them is a fresh heap array the JVM zeroes
 * and the collector later reclaims (hundreds of MB per ViT-B step, hundreds of G1 pauses at a tight heap).
 *
 * <p>Arrays are classed by exact length: a storage's array is exactly its length (kernels may rely on it),
 * and a step repeats the same lengths, so exact classes hit. Only arrays of at least {@link #MIN_FLOATS}
 * are pooled (smaller ones are cheap thread-local allocations). The pool is bounded: past its byte limit the
 * longest-unused arrays are dropped first. Its bytes count as {@link MemoryTracker#cachedBytes()}, like any
 * backend cache. Under memory pressure it shrinks: by its longest-unused half when the old generation is
 * still over {@link #PRESSURE_FRACTION} of its maximum after a collection, entirely when an allocation runs out
 * of heap (which is then retried once, logged); {@link #clear()} empties it on request.
 *
 * <p>An array handed out by {@link #take} is zeroed, so results do not depend on what the pool held;
 * {@link #takeForOverwrite} skips the zeroing for outputs a kernel writes whole.
 *
 * <p>Settings (system properties): {@code sparsetuning.pool.bytes} the limit in bytes (default an eighth of
 * the maximum heap; 0 turns pooling off).
 */
public final class ArrayPool {
    private static final Logger LOG = Logger.getLogger(ArrayPool.class.getName());

    /** Smallest pooled array, in floats (64 KiB). */
    public static final int MIN_FLOATS = 1 << 14;
    /** Old-generation occupancy after a collection, as a fraction of its maximum, that halves the pool. */
    public static final double PRESSURE_FRACTION = 0.85;

    private static final Map<Integer, ArrayDeque<float[]>> BY_LENGTH = new HashMap<>();
    /** Every pooled array, least recently released first: the eviction order. */
    private static final ArrayDeque<float[]> AGE = new ArrayDeque<>();
    private static long limit = defaultLimit();
    private static long pooledBytes;
    private static long hits;
    private static long misses;
    private static long pressureClears;

    static {
        watchOldGeneration();
    }

    private ArrayPool() {
    }

    private static long defaultLimit() {
        String p = System.getProperty("sparsetuning.pool.bytes");
        if (p != null) {
            try {
                long v = Long.parseLong(p.trim());
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            LOG.warning("system property sparsetuning.pool.bytes=" + p + ": expected a byte count >= 0; using an eighth of the heap");
        }
        return Runtime.getRuntime().maxMemory() / 8;
    }

    /** A zeroed array of exactly {@code length} floats, reused from the pool when one is there. */
    static float[] take(int length) {
        return take(length, true);
    }

    /**
     * An array of exactly {@code length} floats whose contents are unspecified (a pooled one keeps what it held),
     * for a caller that writes every element before reading any.
     */
    static float[] takeForOverwrite(int length) {
        return take(length, false);
    }

    private static float[] take(int length, boolean zeroed) {
        if (length >= MIN_FLOATS) {
            float[] a;
            synchronized (ArrayPool.class) {
                a = poll(length);
                if (a != null) {
                    hits++;
                } else {
                    misses++;
                }
            }
            if (a != null) {
                if (zeroed) {
                    java.util.Arrays.fill(a, 0f);
                }
                return a;
            }
        }
        try {
            return new float[length];
        } catch (OutOfMemoryError e) {
            long held = clearUnderPressure();
            if (held == 0) {
                throw e;
            }
            LOG.info("out of heap for " + 4L * length + " bytes: emptied the tensor array pool ("
                    + held + " bytes) and retried");
            return new float[length];
        }
    }

    /** Takes back the array of a released storage; the caller must hold no other reference to it. */
    static void give(float[] a) {
        if (a.length < MIN_FLOATS) {
            return;
        }
        long bytes = 4L * a.length;
        synchronized (ArrayPool.class) {
            if (bytes > limit) {
                return;
            }
            evictTo(limit - bytes);
            BY_LENGTH.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
            AGE.addLast(a);
            changed(bytes);
        }
    }

    private static float[] poll(int length) {
        ArrayDeque<float[]> same = BY_LENGTH.get(length);
        if (same == null) {
            return null;
        }
        // The most recently released array is the likeliest to be in cache still.
        float[] a = same.pollLast();
        if (same.isEmpty()) {
            BY_LENGTH.remove(length);
        }
        AGE.removeLastOccurrence(a);
        changed(-4L * a.length);
        return a;
    }

    private static void changed(long bytes) {
        pooledBytes += bytes;
        MemoryTracker.cacheChanged(bytes);
    }

    /** Drops every pooled array; returns the bytes that were held. */
    public static synchronized long clear() {
        long held = pooledBytes;
        BY_LENGTH.clear();
        AGE.clear();
        changed(-held);
        return held;
    }

    private static synchronized long clearUnderPressure() {
        long held = clear();
        if (held > 0) {
            pressureClears++;
        }
        return held;
    }

    /**
     * The old generation stayed nearly full after a collection: drops the longest-unused half of the pool.
     * Not all of it, because the arrays most recently released are the ones the next allocations take back
     * (emptying the pool makes every one of them a fresh allocation, which is what fills the heap).
     */
    private static synchronized long trimUnderPressure() {
        long before = pooledBytes;
        evictTo(pooledBytes / 2);
        if (before > pooledBytes) {
            pressureClears++;
        }
        return before - pooledBytes;
    }

    private static void evictTo(long bytes) {
        while (pooledBytes > bytes) {
            float[] old = AGE.pollFirst();
            ArrayDeque<float[]> same = BY_LENGTH.get(old.length);
            same.removeFirstOccurrence(old);
            if (same.isEmpty()) {
                BY_LENGTH.remove(old.length);
            }
            changed(-4L * old.length);
        }
    }

    /** Bytes held now. */
    public static synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** The byte limit. */
    public static synchronized long limit() {
        return limit;
    }

    /** Sets the byte limit (0 turns pooling off), dropping the oldest arrays beyond it. */
    public static synchronized void setLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("array pool limit of " + bytes + " bytes");
        }
        limit = bytes;
        evictTo(limit);
    }

    /** Allocations of pooled sizes served from the pool so far. */
    public static synchronized long hits() {
        return hits;
    }

    /** Allocations of pooled sizes that found no array of their length. */
    public static synchronized long misses() {
        return misses;
    }

    /** How often memory pressure shrank or emptied the pool. */
    public static synchronized long pressureClears() {
        return pressureClears;
    }

    /**
     * Asks the JVM to tell when the old generation is still nearly full after a collection; the pool then
     * gives its arrays back, since they would otherwise push the heap towards an OutOfMemoryError.
     */
    private static void watchOldGeneration() {
        boolean watching = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
                    && pool.getUsage().getMax() > 0 && isOldGeneration(pool.getName())) {
                pool.setCollectionUsageThreshold((long) (pool.getUsage().getMax() * PRESSURE_FRACTION));
                watching = true;
            }
        }
        if (!watching) {
            LOG.fine("no old-generation pool with a collection threshold: the array pool empties only when an allocation runs out of heap");
            return;
        }
        NotificationEmitter emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
        emitter.addNotificationListener((n, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                long dropped = trimUnderPressure();
                if (dropped > 0) {
                    LOG.log(Level.FINE, "heap nearly full after a collection: dropped {0} bytes of the tensor array pool", dropped);
                }
            }
        }, null, null);
    }

    private static boolean isOldGeneration(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("old") || n.contains("tenured");
    }
}
