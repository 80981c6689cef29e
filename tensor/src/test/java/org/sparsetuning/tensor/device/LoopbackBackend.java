package org.sparsetuning.tensor.device;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The reference kernels behind a device's rules: every tensor argument must be a {@link LoopbackStorage} of
 * this device (a CPU tensor reaching a kernel is the bug this catches), except in {@link #copy}, which also
 * uploads and downloads. Counts crossings so tests can check that nothing moves implicitly.
 */
public final class LoopbackBackend implements Backend {
    private final ReferenceBackend ref = new ReferenceBackend();
    private final String device;
    private final java.util.concurrent.atomic.AtomicLong crossings = new java.util.concurrent.atomic.AtomicLong();

    LoopbackBackend(String device) {
        this.device = device;
    }

    /** Host/device copies made so far. */
    public long crossings() {
        return crossings.get();
    }

    private void on(String op, String arg, Tensor t) {
        if (t != null && !t.storage().device().equals(device)) {
            throw new IllegalArgumentException(device + " " + op + ": " + arg + " is on " + t.storage().device() + ", not on " + device);
        }
    }

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return new LoopbackStorage(dtype, length, device);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        boolean srcHere = src.storage().device().equals(device);
        boolean dstHere = dst.storage().device().equals(device);
        if (!srcHere && !dstHere) {
            throw new IllegalArgumentException(device + " copy: neither src nor dst is on " + device);
        }
        if (srcHere != dstHere) {
            Tensor host = srcHere ? dst : src;
            if (!host.isOnCpu()) {
                throw new IllegalArgumentException(device + " copy: the other side is on " + host.storage().device() + ", not the CPU");
            }
            crossings.incrementAndGet();
        }
        ref.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        on("fill", "dst", dst);
        ref.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        on("unary", "x", x);
        on("unary", "out", out);
        ref.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        on("binary", "a", a);
        on("binary", "b", b);
        on("binary", "out", out);
        ref.binary(op, a, b, out);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        on("where", "mask", mask);
        on("where", "a", a);
        on("where", "b", b);
        on("where", "out", out);
        ref.where(mask, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        on("reduce", "x", x);
        on("reduce", "out", out);
        ref.reduce(op, x, dim, out);
    }

    @Override
    public void argmax(Tensor x, int dim, Tensor out) {
        on("argmax", "x", x);
        on("argmax", "out", out);
        ref.argmax(x, dim, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        on("matmul", "a", a);
        on("matmul", "b", b);
        on("matmul", "bias", bias);
        on("matmul", "out", out);
        ref.matmul(a, b, bias, act, out);
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        on("softmax", "x", x);
        on("softmax", "out", out);
        ref.softmax(x, log, out);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        on("softmaxBackward", "y", y);
        on("softmaxBackward", "dy", dy);
        on("softmaxBackward", "dx", dx);
        ref.softmaxBackward(y, dy, log, dx);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        on("layerNorm", "x", x);
        on("layerNorm", "weight", weight);
        on("layerNorm", "bias", bias);
        on("layerNorm", "out", out);
        on("layerNorm", "mean", mean);
        on("layerNorm", "rstd", rstd);
        ref.layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dweight, Tensor dbias) {
        on("layerNormBackward", "dy", dy);
        on("layerNormBackward", "x", x);
        on("layerNormBackward", "weight", weight);
        on("layerNormBackward", "mean", mean);
        on("layerNormBackward", "rstd", rstd);
        on("layerNormBackward", "dx", dx);
        on("layerNormBackward", "dweight", dweight);
        on("layerNormBackward", "dbias", dbias);
        ref.layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        on("gather", "x", x);
        on("gather", "index", index);
        on("gather", "out", out);
        ref.gather(x, dim, index, out);
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        on("scatterAdd", "dst", dst);
        on("scatterAdd", "index", index);
        on("scatterAdd", "src", src);
        ref.scatterAdd(dst, dim, index, src);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        on("indexSelect", "x", x);
        on("indexSelect", "index", index);
        on("indexSelect", "out", out);
        ref.indexSelect(x, dim, index, out);
    }

    @Override
    public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        on("indexAdd", "dst", dst);
        on("indexAdd", "index", index);
        on("indexAdd", "src", src);
        ref.indexAdd(dst, dim, index, src);
    }

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        on("topk", "x", x);
        on("topk", "values", values);
        on("topk", "indices", indices);
        ref.topk(x, k, values, indices);
    }
}
