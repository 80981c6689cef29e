package org.sparsetuning.opencl.jocl;

import java.lang.ref.Cleaner;
import org.jocl.cl_mem;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.storage.Storage;

/**
 * F32 or I32 elements in a device buffer taken from the context's pool. Released explicitly through the
 * reference count (a closing TensorScope, Tensor.close), the buffer goes straight back to the pool; a storage
 * that is only garbage-collected returns it through a Cleaner, so a forgotten tensor cannot leak device memory
 * for good. MemoryTracker counts it like any storage.
 *
 * <p>{@link #getDouble}/{@link #setDouble} move one element each way and wait: they are for item() and the
 * occasional single value, not loops (Tensor's bulk reads download once).
 */
public final class ClStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ClContext ctx;
    private final DType dtype;
    private final int length;
    private final Cleaner.Cleanable guard;
    private volatile cl_mem mem;

    ClStorage(ClContext ctx, DType dtype, int length) {
        super(checked(ctx, dtype), length);
        this.ctx = ctx;
        this.dtype = dtype;
        this.length = length;
        long bytes = 4L * Math.max(length, 1);
        cl_mem m = ctx.pool.acquire(bytes);
        this.mem = m;
        this.guard = CLEANER.register(this, new GiveBack(ctx.pool, m, bytes));
        ctx.fill(m, 0, length, 0); // the Backend contract: fresh storage reads as zeros
    }

    private static DType checked(ClContext ctx, DType dtype) {
        if (dtype == DType.F64) {
            throw new UnsupportedOperationException(ctx.name + " stores F32 and I32 tensors; F64 (used by gradient checks) stays on the CPU");
        }
        return dtype;
    }

    /** The buffer; throws if the storage was released. */
    cl_mem mem() {
        cl_mem m = mem;
        if (m == null) {
            throw released();
        }
        return m;
    }

    ClContext context() {
        return ctx;
    }

    /** What the Cleaner runs once the storage is unreachable; tests run it directly instead of waiting for a GC. */
    Cleaner.Cleanable cleanable() {
        return guard;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        mem();
        return length;
    }

    @Override
    public String device() {
        return ctx.name;
    }

    @Override
    public double getDouble(long i) {
        check(i);
        if (dtype == DType.F32) {
            float[] v = new float[1];
            ctx.read(mem(), i, v, 0, 1);
            return v[0];
        }
        int[] v = new int[1];
        ctx.read(mem(), i, v, 0, 1);
        return v[0];
    }

    @Override
    public void setDouble(long i, double value) {
        check(i);
        if (dtype == DType.F32) {
            ctx.write(mem(), i, new float[] {(float) value}, 0, 1);
        } else {
            ctx.write(mem(), i, new int[] {(int) value}, 0, 1);
        }
    }

    private void check(long i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("element " + i + " of a device storage of " + length);
        }
    }

    @Override
    protected void dropBuffer() {
        mem = null;
        if (guard != null) { // null only if the pool failed inside the constructor
            guard.clean();
        }
    }

    /** The cleaner's action: holds the buffer and the pool, never the storage (which could then never be collected). */
    static final class GiveBack implements Runnable {
        private final BufferPool pool;
        private final cl_mem mem;
        private final long bytes;

        GiveBack(BufferPool pool, cl_mem mem, long bytes) {
            this.pool = pool;
            this.mem = mem;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            pool.give(mem, bytes);
        }
    }
}
