package org.sparsetuning.opencl.jocl;

import static org.jocl.CL.CL_KERNEL_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;

import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * A built kernel with its work-group facts from the device (CL_KERNEL_WORK_GROUP_SIZE, CL_KERNEL_LOCAL_MEM_SIZE),
 * and a builder for one launch's arguments. Arguments are collected first and set just before the enqueue,
 * under the context's lock, because a cl_kernel's arguments are shared state.
 */
public final class ClKernel {
    final cl_kernel kernel;
    /** File, kernel name and build options: what the tests and errors name. */
    public final String label;
    public final long maxWorkGroupSize;
    public final long localMemBytes;
    /** The work-group size the source requires (its -DWG= option), 0 if it takes any. */
    int requiredGroup;

    ClKernel(cl_kernel kernel, cl_device_id device, String label) {
        this.kernel = kernel;
        this.label = label;
        this.maxWorkGroupSize = ClInfo.kernelWorkGroupLong(kernel, device, CL_KERNEL_WORK_GROUP_SIZE);
        this.localMemBytes = ClInfo.kernelWorkGroupLong(kernel, device, CL_KERNEL_LOCAL_MEM_SIZE);
    }

    /** The largest power of two work-group, at most {@code wanted}, this kernel can run on any NVIDIA GPU too. */
    int groupSize(int wanted) {
        long cap = Math.min(Math.min(wanted, KernelLimits.MAX_WORK_GROUP_ITEMS), maxWorkGroupSize);
        int g = 1;
        while (g * 2L <= cap) {
            g *= 2;
        }
        return g;
    }

    Args args() {
        return new Args();
    }

    /** Kernel arguments in order. */
    static final class Args {
        final List<Long> sizes = new ArrayList<>();
        final List<Pointer> values = new ArrayList<>();

        private Args add(long size, Pointer p) {
            sizes.add(size);
            values.add(p);
            return this;
        }

        Args mem(cl_mem m) {
            return add(Sizeof.cl_mem, Pointer.to(m));
        }

        Args i(int v) {
            return add(Sizeof.cl_int, Pointer.to(new int[] {v}));
        }

        Args f(float v) {
            return add(Sizeof.cl_float, Pointer.to(new float[] {v}));
        }

        /** An int8 vector (8 ints by value). */
        Args int8(int[] v) {
            if (v.length != 8) {
                throw new IllegalArgumentException("int8 argument needs 8 values, got " + v.length);
            }
            return add(Sizeof.cl_int8, Pointer.to(v.clone()));
        }
    }
}
