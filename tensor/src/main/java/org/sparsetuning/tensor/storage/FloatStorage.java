package org.sparsetuning.tensor.storage;

import org.sparsetuning.tensor.DType;

/**
 * float32 elements in a heap array, or, while frozen, in a kernel's preferred {@link Arrangement} instead of
 * it (GEMM's packed panels of a frozen weight). The storage holds one of the two, never both, so a packed
 * frozen weight costs no more memory than the plain one; the first reader of the plain array unpacks it.
 */
public final class FloatStorage extends Storage {
    /** The same elements in another order, owned by a kernel that reads them faster that way. */
    public interface Arrangement {
        /** Writes every element into its row-major place in dst (of the storage's length). */
        void unpackInto(float[] dst);

        /** Floats held, at least the storage's length (panels may be zero-padded). */
        long floats();
    }

    private static final java.util.concurrent.atomic.AtomicLong UNPACKS = new java.util.concurrent.atomic.AtomicLong();

    private final int length;
    private volatile float[] data;
    private volatile Arrangement arranged;
    private MemoryTracker.Held padding;
    /**
     * Whether the plain array goes to the {@link ArrayPool} on release: only arrays this storage made itself,
     * never one a caller wrapped (the caller may still hold it).
     */
    private boolean pooled;

    /** Zeros, in an array from the {@link ArrayPool} when it has one of this length. */
    public FloatStorage(int length) {
        this(ArrayPool.take(length));
        pooled = true;
    }

    /**
     * Storage whose elements are unspecified until written, for the output of a kernel that writes every one
     * ({@link org.sparsetuning.tensor.backend.Backend#allocateForOverwrite}): an array reused from the
     * {@link ArrayPool} keeps what it held instead of being zero-filled first, which for a residual add cost as
     * much as the add (one more pass over the output, on the calling thread alone).
     */
    public static FloatStorage forOverwrite(int length) {
        FloatStorage s = new FloatStorage(ArrayPool.takeForOverwrite(length));
        s.pooled = true;
        return s;
    }

    /** Wraps the array without copying; the storage owns it from now on (it is never pooled). */
    public FloatStorage(float[] data) {
        super(DType.F32, data.length);
        this.length = data.length;
        this.data = data;
    }

    /** The backing array (unpacked first if the storage holds an arrangement); throws if released. */
    public float[] array() {
        float[] d = data;
        return d != null ? d : unpack();
    }

    /**
     * The backing array for a caller who keeps it after the storage is released (a tensor's elements returned
     * as a plain array): from now on the storage never gives it to the {@link ArrayPool}.
     */
    public synchronized float[] handOver() {
        float[] d = array();
        pooled = false;
        return d;
    }

    private synchronized float[] unpack() {
        float[] d = data;
        if (d != null) {
            return d;
        }
        Arrangement a = arranged;
        if (a == null) {
            throw released();
        }
        d = ArrayPool.take(length);
        pooled = true;
        a.unpackInto(d);
        UNPACKS.incrementAndGet();
        data = d;
        arranged = null;
        dropPadding();
        return d;
    }

    /**
     * How many arrangements were unpacked so far in this process. Each is a read of a packed frozen weight's
     * plain elements; one per weight and step means that weight is packed and unpacked every step.
     */
    public static long unpacks() {
        return UNPACKS.get();
    }

    /** The arrangement the storage holds instead of its array, or null. */
    public Arrangement arrangement() {
        return arranged;
    }

    /**
     * Replaces the plain array by {@code a}, which must hold the same elements. Only while frozen (the
     * contents cannot change, so the two forms cannot disagree), and only if the array is still the one
     * {@code a} was made from. Padding beyond the storage's bytes is counted by {@link MemoryTracker} as a cache.
     *
     * @return whether the storage now holds {@code a}
     */
    public synchronized boolean rearrange(float[] from, Arrangement a) {
        if (!isFrozen() || data != from || from == null || a.floats() < length) {
            return false;
        }
        arranged = a;
        data = null;
        dropPadding();
        long extra = 4L * (a.floats() - length);
        padding = extra > 0 ? MemoryTracker.holdCache(extra) : null;
        return true;
    }

    private void dropPadding() {
        if (padding != null) {
            padding.release();
            padding = null;
        }
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long length() {
        if (data == null && arranged == null) {
            throw released();
        }
        return length;
    }

    @Override
    public double getDouble(long i) {
        return array()[(int) i];
    }

    @Override
    public void setDouble(long i, double v) {
        array()[(int) i] = (float) v;
    }

    @Override
    protected synchronized void dropBuffer() {
        float[] d = data;
        if (d != null && pooled) {
            ArrayPool.give(d);
        }
        data = null;
        arranged = null;
        dropPadding();
    }
}
