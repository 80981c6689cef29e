package org.sparsetuning.tensor.storage;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import org.sparsetuning.tensor.DType;

/**
 * A flat, reference-counted buffer that tensors view. The count starts at one (held by whoever allocated
 * it, usually the enclosing {@link TensorScope}); {@link #retain()} and {@link #release()} move it, and at
 * zero the buffer is dropped and its bytes leave {@link MemoryTracker}. Using a released storage is an error,
 * never a silent read of stale data.
 */
public abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long bytes;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Cleaner.Cleanable accounting;
    private volatile boolean frozen;
    private volatile int frozenEpoch;

    protected Storage(DType dtype, long length) {
        this.bytes = dtype.bytes() * length;
        MemoryTracker.Measurement[] counted = MemoryTracker.allocated(bytes);
        this.accounting = CLEANER.register(this, new Account(bytes, counted));
        TensorScope.track(this);
    }

    public abstract DType dtype();

    /** Number of elements. */
    public abstract long length();

    /** Element {@code i} widened to double; the reference kernels and tests read every dtype through this. */
    public abstract double getDouble(long i);

    public abstract void setDouble(long i, double v);

    /** Which backend owns this memory; {@code "cpu"} for heap arrays. */
    public String device() {
        return "cpu";
    }

    public final long bytes() {
        return bytes;
    }

    /**
     * Promises that the contents will not change until unfrozen (a frozen backbone weight). Kernels may
     * then cache derived forms, such as GEMM's packed panels; in-place writes through the tensor API are
     * refused.
     */
    public final void setFrozen(boolean on) {
        if (frozen != on) {
            frozen = on;
            frozenEpoch++;
        }
    }

    public final boolean isFrozen() {
        return frozen;
    }

    /** Changes whenever the frozen flag does; caches keyed on a frozen storage compare it. */
    public final int frozenEpoch() {
        return frozenEpoch;
    }

    /** Throws if the storage is frozen; called by in-place operations. */
    public final void checkWritable() {
        if (frozen) {
            throw new IllegalStateException("in-place write to a frozen storage of " + bytes + " bytes (unfreeze it first)");
        }
    }

    public final boolean isReleased() {
        return refs.get() <= 0;
    }

    public final Storage retain() {
        int before = refs.getAndIncrement();
        if (before <= 0) {
            refs.decrementAndGet();
            throw new IllegalStateException("cannot retain a released storage of " + bytes + " bytes");
        }
        return this;
    }

    public final void release() {
        int after = refs.decrementAndGet();
        if (after == 0) {
            dropBuffer();
            accounting.clean();
        } else if (after < 0) {
            refs.incrementAndGet();
            throw new IllegalStateException("storage of " + bytes + " bytes released more often than retained");
        }
    }

    /** Lets the buffer go; called once, when the count reaches zero. */
    protected abstract void dropBuffer();

    protected final IllegalStateException released() {
        return new IllegalStateException("tensor storage of " + bytes + " bytes was already released "
                + "(created inside a TensorScope it did not escape, or closed explicitly)");
    }

    /** The cleaner's action: it holds only the size, never the storage, so the storage stays collectable. */
    private static final class Account implements Runnable {
        private final long bytes;
        private final MemoryTracker.Measurement[] counted;

        Account(long bytes, MemoryTracker.Measurement[] counted) {
            this.bytes = bytes;
            this.counted = counted;
        }

        @Override
        public void run() {
            MemoryTracker.freed(bytes, counted);
        }
    }
}
