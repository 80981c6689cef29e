package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_TRUE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_mem;

/**
 * One OpenCL device in use: its context, one in-order command queue, the program cache, the buffer pool and
 * a direct host buffer for transfers. Kernels are enqueued without waiting; only reads wait, and because the
 * queue is in order, a read sees every kernel enqueued before it, and a pooled buffer handed to a new storage
 * is written only after the kernels that used it before. Everything that touches the queue or a kernel's
 * arguments holds this object's lock, so several threads may share the device.
 *
 * <p>Host data always goes through the direct staging buffer, in chunks: JOCL's copies into heap arrays were
 * unreliable under -Xcheck:jni (ANCHORS §8), and a direct buffer is what non-blocking copies need anyway.
 */
public final class ClContext {
    private static final int STAGING_BYTES = 8 << 20;

    public final String name;
    public final ClDeviceInfo info;
    final cl_device_id device;
    final cl_context context;
    final cl_command_queue queue;
    final ProgramCache programs;
    final BufferPool pool;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.nativeOrder());
    /** {flag, first bad index} written by the index kernels' bounds checks. */
    private final cl_mem errorFlag;

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the one call every OpenCL 1.2 and later platform has
    ClContext(String name, ClDiscovery.Found f) {
        this.name = name;
        this.device = f.device();
        this.info = new ClDeviceInfo(f);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, f.platform());
        this.context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        this.queue = CL.clCreateCommandQueue(context, device, 0, null);
        this.programs = new ProgramCache(context, device, name + " " + info.name);
        this.pool = new BufferPool(context, poolCap(info), info.maxAllocBytes);
        this.errorFlag = CL.clCreateBuffer(context, org.jocl.CL.CL_MEM_READ_WRITE, 2 * Sizeof.cl_int, null, null);
    }

    /** Idle bytes the pool may keep: property sparsetuning.opencl.poolBytes, else a quarter of device memory. */
    private static long poolCap(ClDeviceInfo info) {
        String p = System.getProperty("sparsetuning.opencl.poolBytes");
        return p != null ? Long.parseLong(p.trim()) : info.globalMemBytes / 4;
    }

    /** Enqueues a kernel (no wait). {@code local} is never null: work-group sizes are always chosen here. */
    synchronized void launch(ClKernel k, ClKernel.Args args, long[] global, long[] local) {
        long items = 1;
        for (int d = 0; d < global.length; d++) {
            if (global[d] == 0) {
                return; // nothing to do (an empty tensor)
            }
            if (global[d] % local[d] != 0) {
                throw new IllegalArgumentException(k.label + ": global size " + global[d] + " is not a multiple of " + local[d]);
            }
            items *= local[d];
        }
        KernelLimits.check(k, items);
        for (int i = 0; i < args.sizes.size(); i++) {
            CL.clSetKernelArg(k.kernel, i, args.sizes.get(i), args.values.get(i));
        }
        CL.clEnqueueNDRangeKernel(queue, k.kernel, global.length, null, global, local, 0, null, null);
    }

    /**
     * Launches an index kernel whose last-but-few argument is the error flag, waits, and returns the first
     * out-of-range index it met, or null. args must already contain {@link #errorFlag()} in its place.
     */
    synchronized Integer launchChecked(ClKernel k, ClKernel.Args args, long[] global, long[] local) {
        CL.clEnqueueFillBuffer(queue, errorFlag, Pointer.to(new int[] {0}), Sizeof.cl_int, 0, 2L * Sizeof.cl_int, 0, null, null);
        launch(k, args, global, local);
        staging.clear();
        CL.clEnqueueReadBuffer(queue, errorFlag, CL_TRUE, 0, 2L * Sizeof.cl_int, Pointer.to(staging), 0, null, null);
        return staging.getInt(0) != 0 ? staging.getInt(4) : null;
    }

    cl_mem errorFlag() {
        return errorFlag;
    }

    /** Sets {@code count} 4-byte elements from element {@code at} to the bit pattern {@code bits}. */
    synchronized void fill(cl_mem m, long at, long count, int bits) {
        if (count > 0) {
            CL.clEnqueueFillBuffer(queue, m, Pointer.to(new int[] {bits}), Sizeof.cl_int, at * 4, count * 4, 0, null, null);
        }
    }

    /** Device elements [at, at+count) ← src[from, from+count); src is a float[] or an int[]. Waits. */
    synchronized void write(cl_mem m, long at, Object src, int from, int count) {
        int chunk = STAGING_BYTES / 4;
        for (int done = 0; done < count; done += chunk) {
            int c = Math.min(chunk, count - done);
            staging.clear();
            if (src instanceof float[]) {
                staging.asFloatBuffer().put((float[]) src, from + done, c);
            } else {
                staging.asIntBuffer().put((int[]) src, from + done, c);
            }
            CL.clEnqueueWriteBuffer(queue, m, CL_TRUE, (at + done) * 4, c * 4L, Pointer.to(staging), 0, null, null);
        }
    }

    /** dst[into, into+count) ← device elements [at, at+count); dst is a float[] or an int[]. Waits. */
    synchronized void read(cl_mem m, long at, Object dst, int into, int count) {
        int chunk = STAGING_BYTES / 4;
        for (int done = 0; done < count; done += chunk) {
            int c = Math.min(chunk, count - done);
            staging.clear();
            CL.clEnqueueReadBuffer(queue, m, CL_TRUE, (at + done) * 4, c * 4L, Pointer.to(staging), 0, null, null);
            if (dst instanceof float[]) {
                staging.asFloatBuffer().get((float[]) dst, into + done, c);
            } else {
                staging.asIntBuffer().get((int[]) dst, into + done, c);
            }
        }
    }

    /** Waits for everything enqueued so far (benchmarks time whole operations with it). */
    public synchronized void finish() {
        CL.clFinish(queue);
    }

    /** The buffer pool's counters: {buffers created, allocations reused, idle bytes}. */
    public long[] poolStats() {
        return new long[] {pool.created(), pool.reused(), pool.idleBytes()};
    }

    /** Frees the idle pooled buffers (memory still in use is unaffected). */
    public void trimPool() {
        pool.trim();
    }

    @Override
    public String toString() {
        return name + ": " + info;
    }
}
