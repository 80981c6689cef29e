package org.sparsetuning.opencl.jocl;

import org.jocl.cl_mem;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/**
 * gather / scatterAdd / indexSelect / indexAdd / topk, the Token Sparsification kernels. Dimensions are kept
 * as they are (the indexed one is addressed on its own), right-aligned into the kernels' int8 vectors. The
 * accumulating ops give each work-item a whole fibre along the indexed dimension, walked in order: no atomics,
 * deterministic sums in the reference's order. Index bounds are checked on the device; the launch waits for
 * the verdict and an out-of-range index raises IndexOutOfBoundsException naming the op, as on the CPU.
 */
final class IndexOps extends Launcher {
    IndexOps(ClContext ctx) {
        super(ctx);
    }

    private cl_mem ints(String op, String arg, Tensor t) {
        cl_mem m = mem(op, arg, t);
        if (t.dtype() != DType.I32) {
            throw new IllegalArgumentException(ctx.name + " " + op + ": " + arg + " must be I32, got " + t.dtype());
        }
        return m;
    }

    /** Strides of t right-aligned, with dimension {@code dim} zeroed (the kernel adds index·stride itself). */
    private static int[] masked(Tensor t, int dim) {
        int[] st = t.strides();
        st[dim] = 0;
        return Layout.pad8(st, 0);
    }

    private static void verdict(Integer bad, String op, int size) {
        if (bad != null) {
            throw new IndexOutOfBoundsException(op + ": index " + bad + " out of range [0, " + size + ")");
        }
    }

    /** The shape with dimension dim set to 1: the fibres of an accumulating kernel. */
    private static int[] fibres(int[] shape, int dim) {
        int[] f = shape.clone();
        f[dim] = 1;
        return f;
    }

    void gather(Tensor x, int dim, Tensor index, Tensor out) {
        cl_mem xm = f32("gather", "x", x);
        cl_mem im = ints("gather", "index", index);
        cl_mem om = f32("gather", "out", out);
        int n = index.numel();
        ClKernel k = ctx.programs.kernel("gather", "");
        ClKernel.Args a = k.args().mem(xm).i(x.offset()).int8(masked(x, dim)).i(x.stride(dim)).i(x.size(dim))
                .mem(im).i(index.offset()).int8(Layout.pad8(index.strides(), 0))
                .mem(om).i(out.offset()).int8(Layout.pad8(out.strides(), 0))
                .mem(ctx.errorFlag()).i(n).i(index.dim()).int8(Layout.pad8(index.shape(), 1));
        int g = k.groupSize(GROUP);
        verdict(ctx.launchChecked(k, a, new long[] {roundUp(n, g)}, new long[] {g}), "gather", x.size(dim));
    }

    void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        cl_mem dm = f32("scatterAdd", "dst", dst);
        cl_mem im = ints("scatterAdd", "index", index);
        cl_mem sm = f32("scatterAdd", "src", src);
        int[] fshape = fibres(index.shape(), dim);
        int nf = org.sparsetuning.tensor.Shape.numel(fshape);
        ClKernel k = ctx.programs.kernel("scatter_add", "");
        ClKernel.Args a = k.args().mem(dm).i(dst.offset()).int8(masked(dst, dim)).i(dst.stride(dim)).i(dst.size(dim))
                .mem(im).i(index.offset()).int8(Layout.pad8(index.strides(), 0)).i(index.stride(dim))
                .mem(sm).i(src.offset()).int8(Layout.pad8(src.strides(), 0)).i(src.stride(dim))
                .mem(ctx.errorFlag()).i(nf).i(index.size(dim)).i(index.dim()).int8(Layout.pad8(fshape, 1));
        int g = k.groupSize(GROUP);
        verdict(ctx.launchChecked(k, a, new long[] {roundUp(nf, g)}, new long[] {g}), "scatterAdd", dst.size(dim));
    }

    void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        cl_mem xm = f32("indexSelect", "x", x);
        cl_mem im = ints("indexSelect", "index", index);
        cl_mem om = f32("indexSelect", "out", out);
        int n = out.numel();
        int[] sel = new int[out.dim()];
        sel[dim] = 1;
        ClKernel k = ctx.programs.kernel("index_select", "");
        ClKernel.Args a = k.args().mem(xm).i(x.offset()).int8(masked(x, dim)).i(x.stride(dim)).i(x.size(dim))
                .mem(im).i(index.offset()).i(index.stride(0))
                .mem(om).i(out.offset()).int8(Layout.pad8(out.strides(), 0))
                .mem(ctx.errorFlag()).i(n).i(out.dim()).int8(Layout.pad8(out.shape(), 1)).int8(Layout.pad8(sel, 0));
        int g = k.groupSize(GROUP);
        verdict(ctx.launchChecked(k, a, new long[] {roundUp(n, g)}, new long[] {g}), "indexSelect", x.size(dim));
    }

    void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        cl_mem dm = f32("indexAdd", "dst", dst);
        cl_mem im = ints("indexAdd", "index", index);
        cl_mem sm = f32("indexAdd", "src", src);
        int[] fshape = fibres(src.shape(), dim);
        int nf = org.sparsetuning.tensor.Shape.numel(fshape);
        ClKernel k = ctx.programs.kernel("index_add", "");
        ClKernel.Args a = k.args().mem(dm).i(dst.offset()).int8(masked(dst, dim)).i(dst.stride(dim)).i(dst.size(dim))
                .mem(im).i(index.offset()).i(index.stride(0))
                .mem(sm).i(src.offset()).int8(Layout.pad8(src.strides(), 0)).i(src.stride(dim))
                .mem(ctx.errorFlag()).i(nf).i(src.size(dim)).i(src.dim()).int8(Layout.pad8(fshape, 1));
        int g = k.groupSize(GROUP);
        verdict(ctx.launchChecked(k, a, new long[] {roundUp(nf, g)}, new long[] {g}), "indexAdd", dst.size(dim));
    }

    void topk(Tensor x, int kk, Tensor values, Tensor indices) {
        cl_mem xm = f32("topk", "x", x);
        cl_mem vm = f32("topk", "values", values);
        cl_mem im = ints("topk", "indices", indices);
        if (!values.isContiguous() || !indices.isContiguous()) {
            throw new IllegalArgumentException(ctx.name + " topk: values and indices must be contiguous");
        }
        int n = x.dim() == 0 ? 1 : x.size(-1);
        int rows = x.numel() / Math.max(n, 1);
        int r = x.dim();
        Tensor rowsView = new Tensor(x.storage(), java.util.Arrays.copyOf(x.shape(), Math.max(r - 1, 0)),
                java.util.Arrays.copyOf(x.strides(), Math.max(r - 1, 0)), x.offset());
        Layout l = Layout.of(rowsView.shape(), rowsView);
        ClKernel k = ctx.programs.kernel("topk", "");
        launch1d(k, k.args().mem(xm).i(l.offsets[0]).int8(l.strides8[0]).i(r == 0 ? 1 : x.stride(-1))
                .mem(vm).mem(im).i(values.offset()).i(indices.offset())
                .i(n).i(kk).i(rows).i(l.rank).int8(l.shape8), (long) rows * n);
    }
}
