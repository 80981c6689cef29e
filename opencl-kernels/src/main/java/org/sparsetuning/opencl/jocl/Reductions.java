package org.sparsetuning.opencl.jocl;

import org.jocl.cl_mem;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.ReduceOp;

/**
 * Reductions over one dimension and argmax. The output has x's shape with that dimension set to 1; the kernels
 * walk the other dimensions as a merged layout of x and out, and the reduced one by its stride.
 */
final class Reductions extends Launcher {
    /** Below this many outputs a whole work-group per output pays off even on a strided dimension. */
    private static final int FEW_OUTPUTS = 64;

    Reductions(ClContext ctx) {
        super(ctx);
    }

    /** x with the reduced dimension removed from the view (size 1, so the layout ignores it). */
    private static Tensor others(Tensor x, int dim) {
        return x.narrow(dim, 0, Math.min(1, x.size(dim)));
    }

    void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        cl_mem xm = f32("reduce", "x", x);
        cl_mem om = f32("reduce", "out", out);
        int len = x.size(dim);
        int step = x.stride(dim);
        Tensor xo = others(x, dim);
        Layout l = Layout.of(out.shape(), xo, out);
        int code = op == ReduceOp.SUM ? 0 : op == ReduceOp.MEAN ? 1 : 2;
        boolean rows = (step == 1 && len >= 32) || l.n < FEW_OUTPUTS;
        ClKernel k = rows ? ctx.programs.fitted("reduce_rows", "", ctx.info.rowGroups())
                : ctx.programs.kernel("reduce_cols", "");
        ClKernel.Args a = k.args().mem(xm).i(xo.offset()).int8(l.strides8[0]).i(step).i(len)
                .mem(om).i(l.offsets[1]).int8(l.strides8[1]).i(l.n).i(l.rank).int8(l.shape8).i(code);
        if (rows) {
            launchRows(k, a, l.n, k.requiredGroup);
        } else {
            launch1d(k, a, l.n);
        }
    }

    void argmax(Tensor x, int dim, Tensor out) {
        cl_mem xm = f32("argmax", "x", x);
        cl_mem om = mem("argmax", "out", out);
        Tensor xo = others(x, dim);
        Layout l = Layout.of(out.shape(), xo, out);
        ClKernel k = ctx.programs.kernel("argmax", "");
        launch1d(k, k.args().mem(xm).i(xo.offset()).int8(l.strides8[0]).i(x.stride(dim)).i(x.size(dim))
                .mem(om).i(l.offsets[1]).int8(l.strides8[1]).i(l.n).i(l.rank).int8(l.shape8), l.n);
    }
}
