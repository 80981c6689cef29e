package org.sparsetuning.opencl.jocl;

import org.jocl.cl_mem;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** What every op family needs: the context, argument checks and one-dimensional launches. */
class Launcher {
    /** Work-items per group of the one-dimensional kernels: one size, so PoCL compiles each kernel once. */
    static final int GROUP = 256;

    final ClContext ctx;

    Launcher(ClContext ctx) {
        this.ctx = ctx;
    }

    /** The buffer of a tensor on this device; anything else is an error naming the argument. */
    cl_mem mem(String op, String arg, Tensor t) {
        if (!(t.storage() instanceof ClStorage) || ((ClStorage) t.storage()).context() != ctx) {
            throw new IllegalArgumentException(ctx.name + " " + op + ": " + arg + " is on " + t.storage().device() + ", not on "
                    + ctx.name + " (move it with Tensor.to(Device); kernels never copy implicitly)");
        }
        return ((ClStorage) t.storage()).mem();
    }

    /** Like {@link #mem} and also requires F32. */
    cl_mem f32(String op, String arg, Tensor t) {
        cl_mem m = mem(op, arg, t);
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException(ctx.name + " " + op + ": " + arg + " must be F32, got " + t.dtype());
        }
        return m;
    }

    static String cType(DType t) {
        switch (t) {
            case F32: return "float";
            case I32: return "int";
            default: throw new IllegalArgumentException("no OpenCL element type for " + t);
        }
    }

    /** n work-items in groups of {@link #GROUP} (or less where the kernel allows less). */
    void launch1d(ClKernel k, ClKernel.Args args, long n) {
        int g = k.groupSize(GROUP);
        ctx.launch(k, args, new long[] {roundUp(n, g)}, new long[] {g});
    }

    /** One work-group of {@code group} items per row: the row kernels (softmax, layer norm, reductions). */
    void launchRows(ClKernel k, ClKernel.Args args, long rows, int group) {
        ctx.launch(k, args, new long[] {rows * group}, new long[] {group});
    }

    static long roundUp(long n, long m) {
        return (n + m - 1) / m * m;
    }
}
