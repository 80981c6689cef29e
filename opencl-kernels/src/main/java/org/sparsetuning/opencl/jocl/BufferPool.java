package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_OUT_OF_HOST_MEMORY;
import static org.jocl.CL.CL_OUT_OF_RESOURCES;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers kept for reuse, by size class. A training step allocates the same sizes every time, so after
 * the first step nearly every allocation is a reuse instead of a clCreateBuffer (slow on GPUs, and PyTorch's
 * caching allocator does the same). Sizes are rounded up to 256 bytes (64 KiB above 1 MiB) so near sizes share
 * buffers. At most {@code capBytes} are kept idle; when the device runs out, the idle buffers are freed and the
 * allocation is tried once more.
 */
final class BufferPool {
    private final cl_context context;
    private final long capBytes;
    private final long maxAllocBytes;
    private final Map<Long, ArrayDeque<cl_mem>> idle = new HashMap<>();
    private long idleBytes;
    private long created;
    private long reused;

    BufferPool(cl_context context, long capBytes, long maxAllocBytes) {
        this.context = context;
        this.capBytes = capBytes;
        this.maxAllocBytes = maxAllocBytes;
    }

    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 4);
        long unit = b > (1 << 20) ? 64 * 1024 : 256;
        return (b + unit - 1) / unit * unit;
    }

    /** A buffer of at least {@code bytes} (its size class). Contents are whatever a previous user left. */
    cl_mem acquire(long bytes) {
        long size = sizeClass(bytes);
        synchronized (this) {
            ArrayDeque<cl_mem> q = idle.get(size);
            if (q != null && !q.isEmpty()) {
                idleBytes -= size;
                reused++;
                return q.pop();
            }
        }
        if (size > maxAllocBytes) {
            throw new IllegalArgumentException("a device buffer of " + bytes + " bytes exceeds the device's largest allocation ("
                    + maxAllocBytes + " bytes, CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
        }
        try {
            return create(size);
        } catch (CLException e) {
            if (!isOutOfMemory(e)) {
                throw e;
            }
            trim();
            return create(size);
        }
    }

    private cl_mem create(long size) {
        cl_mem m = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        synchronized (this) {
            created++;
        }
        return m;
    }

    private static boolean isOutOfMemory(CLException e) {
        int s = e.getStatus();
        return s == CL_MEM_OBJECT_ALLOCATION_FAILURE || s == CL_OUT_OF_RESOURCES || s == CL_OUT_OF_HOST_MEMORY;
    }

    /** Takes a buffer back (from a released storage or its cleaner); frees it when the pool is full. */
    void give(cl_mem m, long bytes) {
        long size = sizeClass(bytes);
        synchronized (this) {
            if (idleBytes + size <= capBytes) {
                idle.computeIfAbsent(size, s -> new ArrayDeque<>()).push(m);
                idleBytes += size;
                return;
            }
        }
        CL.clReleaseMemObject(m);
    }

    /** Frees every idle buffer. */
    synchronized void trim() {
        for (ArrayDeque<cl_mem> q : idle.values()) {
            for (cl_mem m : q) {
                CL.clReleaseMemObject(m);
            }
        }
        idle.clear();
        idleBytes = 0;
    }

    /** Idle buffers of one size class. */
    synchronized int idleCount(long sizeClass) {
        ArrayDeque<cl_mem> q = idle.get(sizeClass);
        return q == null ? 0 : q.size();
    }

    synchronized long idleBytes() {
        return idleBytes;
    }

    /** Buffers made with clCreateBuffer so far. */
    synchronized long created() {
        return created;
    }

    /** Allocations served from the pool so far. */
    synchronized long reused() {
        return reused;
    }
}
