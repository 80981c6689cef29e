package org.sparsetuning.opencl.jocl;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The Backend of one OpenCL device, on hand-written OpenCL C 1.2 kernels run through JOCL. Every tensor argument
 * must be a {@link ClStorage} of this device (an error names the argument otherwise), except in {@link #copy},
 * which is also the host↔device path. Kernels are enqueued without waiting; results are waited for only when
 * the host reads them (a download, item()), and by the index ops, which check their indices.
 */
public final class ClBackend implements Backend {
    private final ClContext ctx;
    private final Elementwise elementwise;
    private final Crossing crossing;
    private final Reductions reductions;
    private final Gemm gemm;
    private final RowOps rows;
    private final IndexOps index;

    public ClBackend(ClContext ctx) {
        this.ctx = ctx;
        this.elementwise = new Elementwise(ctx);
        this.crossing = new Crossing(ctx, elementwise);
        this.reductions = new Reductions(ctx);
        this.gemm = new Gemm(ctx);
        this.rows = new RowOps(ctx);
        this.index = new IndexOps(ctx);
    }

    public ClContext context() {
        return ctx;
    }

    Gemm gemm() {
        return gemm;
    }

    @Override
    public String name() {
        return "opencl(" + ctx.name + ")";
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return new ClStorage(ctx, dtype, length);
    }

    private boolean here(Tensor t) {
        return t.storage() instanceof ClStorage && ((ClStorage) t.storage()).context() == ctx;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        boolean s = here(src);
        boolean d = here(dst);
        if (s && d) {
            elementwise.copy(src, dst);
        } else if (d && src.isOnCpu()) {
            crossing.upload(src, dst);
        } else if (s && dst.isOnCpu()) {
            crossing.download(src, dst);
        } else {
            throw new IllegalArgumentException(ctx.name + " copy: from " + src.storage().device() + " to " + dst.storage().device()
                    + "; this backend copies within " + ctx.name + " and between it and the CPU");
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        elementwise.fill(dst, value);
    }

    @Override
    public void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep step) {
        elementwise.adamw(p, g, m, v, step);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        elementwise.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        elementwise.binary(op, a, b, out);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        elementwise.where(mask, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        reductions.reduce(op, x, dim, out);
    }

    @Override
    public void argmax(Tensor x, int dim, Tensor out) {
        reductions.argmax(x, dim, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        gemm.matmul(a, b, bias, act, out);
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        rows.softmax(x, log, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        rows.softmaxBackward(y, dy, log, dx);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        rows.layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dweight, Tensor dbias) {
        rows.layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor idx, Tensor out) {
        index.gather(x, dim, idx, out);
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor idx, Tensor src) {
        index.scatterAdd(dst, dim, idx, src);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor idx, Tensor out) {
        index.indexSelect(x, dim, idx, out);
    }

    @Override
    public void indexAdd(Tensor dst, int dim, Tensor idx, Tensor src) {
        index.indexAdd(dst, dim, idx, src);
    }

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        index.topk(x, k, values, indices);
    }
}
