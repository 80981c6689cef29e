package org.sparsetuning.opencl.jocl;

import java.util.Arrays;
import org.jocl.cl_mem;
import org.sparsetuning.tensor.Tensor;

/**
 * Softmax and layer norm: one work-group per row of the last dimension, reductions in local memory. Rows are
 * the elements of the leading shape, each operand addressed through its own strides (any view).
 */
final class RowOps extends Launcher {
    RowOps(ClContext ctx) {
        super(ctx);
    }

    /** The leading (row) dimensions of a view, as a view of their own for the layout. */
    private static Tensor rowsOf(Tensor t) {
        int r = t.dim();
        if (r == 0) {
            return t;
        }
        return new Tensor(t.storage(), Arrays.copyOf(t.shape(), r - 1), Arrays.copyOf(t.strides(), r - 1), t.offset());
    }

    private static int lastStride(Tensor t) {
        return t.dim() == 0 ? 1 : t.stride(-1);
    }

    private static int lastSize(Tensor t) {
        return t.dim() == 0 ? 1 : t.size(-1);
    }

    void softmax(Tensor x, boolean log, Tensor out) {
        cl_mem xm = f32("softmax", "x", x);
        cl_mem om = f32("softmax", "out", out);
        Tensor xr = rowsOf(x);
        Layout l = Layout.of(xr.shape(), xr, rowsOf(out));
        ClKernel k = ctx.programs.fitted("softmax", "", ctx.info.rowGroups());
        launchRows(k, k.args().mem(xm).i(l.offsets[0]).int8(l.strides8[0]).i(lastStride(x))
                .mem(om).i(l.offsets[1]).int8(l.strides8[1]).i(lastStride(out))
                .i(lastSize(x)).i(l.rank).int8(l.shape8).i(log ? 1 : 0), l.n, k.requiredGroup);
    }

    void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        cl_mem ym = f32("softmaxBackward", "y", y);
        cl_mem gm = f32("softmaxBackward", "dy", dy);
        cl_mem xm = f32("softmaxBackward", "dx", dx);
        Tensor yr = rowsOf(y);
        Layout l = Layout.of(yr.shape(), yr, rowsOf(dy), rowsOf(dx));
        ClKernel k = ctx.programs.fitted("softmax_backward", "", ctx.info.rowGroups());
        launchRows(k, k.args().mem(ym).i(l.offsets[0]).int8(l.strides8[0]).i(lastStride(y))
                .mem(gm).i(l.offsets[1]).int8(l.strides8[1]).i(lastStride(dy))
                .mem(xm).i(l.offsets[2]).int8(l.strides8[2]).i(lastStride(dx))
                .i(lastSize(y)).i(l.rank).int8(l.shape8).i(log ? 1 : 0), l.n, k.requiredGroup);
    }

    /** mean and rstd hold one value per row, in row order: they must be contiguous. */
    private cl_mem perRow(String op, String arg, Tensor t, int rows) {
        cl_mem m = f32(op, arg, t);
        if (!t.isContiguous() || t.numel() != rows) {
            throw new IllegalArgumentException(ctx.name + " " + op + ": " + arg + " must be a contiguous tensor of " + rows + " values");
        }
        return m;
    }

    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        cl_mem xm = f32("layerNorm", "x", x);
        cl_mem om = f32("layerNorm", "out", out);
        cl_mem wm = weight == null ? xm : f32("layerNorm", "weight", weight);
        cl_mem bm = bias == null ? xm : f32("layerNorm", "bias", bias);
        Tensor xr = rowsOf(x);
        Layout l = Layout.of(xr.shape(), xr, rowsOf(out));
        cl_mem mm = perRow("layerNorm", "mean", mean, l.n);
        cl_mem rm = perRow("layerNorm", "rstd", rstd, l.n);
        ClKernel k = ctx.programs.fitted("layernorm", "", ctx.info.rowGroups());
        launchRows(k, k.args().mem(xm).i(l.offsets[0]).int8(l.strides8[0]).i(lastStride(x))
                .mem(wm).i(weight == null ? 0 : weight.offset()).i(weight == null ? 0 : weight.stride(0)).i(weight == null ? 0 : 1)
                .mem(bm).i(bias == null ? 0 : bias.offset()).i(bias == null ? 0 : bias.stride(0)).i(bias == null ? 0 : 1)
                .mem(om).i(l.offsets[1]).int8(l.strides8[1]).i(lastStride(out))
                .mem(mm).i(mean.offset()).mem(rm).i(rstd.offset())
                .i(lastSize(x)).i(l.rank).int8(l.shape8).f((float) eps), l.n, k.requiredGroup);
    }

    void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd, Tensor dx, Tensor dweight, Tensor dbias) {
        cl_mem gm = f32("layerNormBackward", "dy", dy);
        cl_mem xm = f32("layerNormBackward", "x", x);
        cl_mem wm = weight == null ? xm : f32("layerNormBackward", "weight", weight);
        Tensor xr = rowsOf(x);
        int c = lastSize(x);
        int rows = xr.numel();
        cl_mem mm = perRow("layerNormBackward", "mean", mean, rows);
        cl_mem rm = perRow("layerNormBackward", "rstd", rstd, rows);
        if (dx != null) {
            cl_mem dxm = f32("layerNormBackward", "dx", dx);
            Layout l = Layout.of(xr.shape(), rowsOf(dy), xr, rowsOf(dx));
            ClKernel k = ctx.programs.fitted("layernorm_backward_dx", "", ctx.info.rowGroups());
            launchRows(k, k.args().mem(gm).i(l.offsets[0]).int8(l.strides8[0]).i(lastStride(dy))
                    .mem(xm).i(l.offsets[1]).int8(l.strides8[1]).i(lastStride(x))
                    .mem(wm).i(weight == null ? 0 : weight.offset()).i(weight == null ? 0 : weight.stride(0)).i(weight == null ? 0 : 1)
                    .mem(mm).i(mean.offset()).mem(rm).i(rstd.offset())
                    .mem(dxm).i(l.offsets[2]).int8(l.strides8[2]).i(lastStride(dx))
                    .i(c).i(l.rank).int8(l.shape8), l.n, k.requiredGroup);
        }
        if (dweight != null || dbias != null) {
            cl_mem dwm = dweight == null ? xm : f32("layerNormBackward", "dweight", dweight);
            cl_mem dbm = dbias == null ? xm : f32("layerNormBackward", "dbias", dbias);
            Layout l = Layout.of(xr.shape(), rowsOf(dy), xr);
            ClKernel k = ctx.programs.kernel("layernorm_backward_params", "");
            launch1d(k, k.args().mem(gm).i(l.offsets[0]).int8(l.strides8[0]).i(lastStride(dy))
                    .mem(xm).i(l.offsets[1]).int8(l.strides8[1]).i(lastStride(x))
                    .mem(mm).i(mean.offset()).mem(rm).i(rstd.offset())
                    .mem(dwm).i(dweight == null ? 0 : dweight.offset()).i(dweight == null ? 0 : dweight.stride(0)).i(dweight == null ? 0 : 1)
                    .mem(dbm).i(dbias == null ? 0 : dbias.offset()).i(dbias == null ? 0 : dbias.stride(0)).i(dbias == null ? 0 : 1)
                    .i(c).i(rows).i(l.rank).int8(l.shape8), c);
        }
    }
}
