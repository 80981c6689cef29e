package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;
import org.sparsetuning.tensor.cpu.simd.gemm.Gemm;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The CPU backend on the Vector API: one kernel class per operation family, each multi-threaded through
 * {@link org.sparsetuning.tensor.parallel.Parallel}. It serves F32 data with I32 indices; any other element
 * type (F64 for gradient checks, I32 arithmetic) is passed to the reference backend, which is exact for all
 * of them, so a caller never has to care which backend it got.
 */
public final class SimdBackend implements Backend {
    private final ReferenceBackend reference = new ReferenceBackend();

    @Override
    public long cachedBytes() {
        return org.sparsetuning.tensor.cpu.simd.gemm.Gemm.cachedBytes();
    }

    @Override
    public String name() {
        return "simd(" + VMath.S.vectorBitSize() + "-bit)";
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return reference.allocate(dtype, length);
    }

    @Override
    public Storage allocateForOverwrite(DType dtype, int length) {
        return reference.allocateForOverwrite(dtype, length);
    }

    private static boolean f32(Tensor... ts) {
        for (Tensor t : ts) {
            if (t != null && t.dtype() != DType.F32) {
                return false;
            }
        }
        return true;
    }

    private static boolean i32(Tensor t) {
        return t.dtype() == DType.I32;
    }

    private static boolean f32OrI32(Tensor t) {
        return t.dtype() == DType.F32 || t.dtype() == DType.I32;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (f32OrI32(src) && f32OrI32(dst)) {
            CopyKernel.copy(src, dst);
        } else {
            reference.copy(src, dst);
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (f32OrI32(dst)) {
            CopyKernel.fill(dst, value);
        } else {
            reference.fill(dst, value);
        }
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        if (f32(x, out)) {
            UnaryKernel.run(op, x, out);
        } else {
            reference.unary(op, x, out);
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (f32(a, b, out)) {
            BinaryKernel.run(op, a, b, out);
        } else {
            reference.binary(op, a, b, out);
        }
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        if (f32(a, b, out) && f32OrI32(mask)) {
            WhereKernel.run(mask, a, b, out);
        } else {
            reference.where(mask, a, b, out);
        }
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        if (f32(x, out)) {
            ReduceKernel.reduce(op, x, dim, out);
        } else {
            reference.reduce(op, x, dim, out);
        }
    }

    @Override
    public void argmax(Tensor x, int dim, Tensor out) {
        if (f32(x) && i32(out)) {
            ReduceKernel.argmax(x, dim, out);
        } else {
            reference.argmax(x, dim, out);
        }
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        if (f32(a, b, bias, out)) {
            Gemm.matmul(a, b, bias, act, out);
        } else {
            reference.matmul(a, b, bias, act, out);
        }
    }

    @Override
    public void selfAttention(Tensor qkv, int heads, double scale, Tensor out) {
        if (f32(qkv, out) && qkv.isContiguous() && out.isContiguous()) {
            AttentionKernel.forward(qkv, heads, (float) scale, out);
        } else {
            reference.selfAttention(qkv, heads, scale, out);
        }
    }

    @Override
    public void selfAttentionBackward(Tensor qkv, Tensor dOut, int heads, double scale, Tensor dQkv) {
        if (f32(qkv, dOut, dQkv) && qkv.isContiguous() && dOut.isContiguous() && dQkv.isContiguous()) {
            AttentionKernel.backward(qkv, dOut, heads, (float) scale, dQkv);
        } else {
            reference.selfAttentionBackward(qkv, dOut, heads, scale, dQkv);
        }
    }

    @Override
    public void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep step) {
        if (f32(p, g, m, v)) {
            AdamWKernel.update(p, g.contiguous(), m, v, step);
        } else {
            reference.adamw(p, g, m, v, step);
        }
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        if (f32(x, out)) {
            SoftmaxKernel.forward(x, log, out);
        } else {
            reference.softmax(x, log, out);
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        if (f32(y, dy, dx)) {
            SoftmaxKernel.backward(y, dy, log, dx);
        } else {
            reference.softmaxBackward(y, dy, log, dx);
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        if (f32(x, weight, bias, out, mean, rstd)) {
            LayerNormKernel.forward(x, weight, bias, eps, out, mean, rstd);
        } else {
            reference.layerNorm(x, weight, bias, eps, out, mean, rstd);
        }
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dweight, Tensor dbias) {
        if (f32(dy, x, weight, mean, rstd, dx, dweight, dbias)) {
            LayerNormKernel.backward(dy, x, weight, mean, rstd, dx, dweight, dbias);
        } else {
            reference.layerNormBackward(dy, x, weight, mean, rstd, dx, dweight, dbias);
        }
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (f32(x, out) && i32(index)) {
            GatherKernels.gather(x, dim, index, out);
        } else {
            reference.gather(x, dim, index, out);
        }
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        if (f32(dst, src) && i32(index)) {
            GatherKernels.scatterAdd(dst, dim, index, src);
        } else {
            reference.scatterAdd(dst, dim, index, src);
        }
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (f32(x, out) && i32(index)) {
            GatherKernels.indexSelect(x, dim, index, out);
        } else {
            reference.indexSelect(x, dim, index, out);
        }
    }

    @Override
    public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        if (f32(dst, src) && i32(index)) {
            GatherKernels.indexAdd(dst, dim, index, src);
        } else {
            reference.indexAdd(dst, dim, index, src);
        }
    }

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        if (f32(x, values) && i32(indices)) {
            TopKKernel.run(x, k, values, indices);
        } else {
            reference.topk(x, k, values, indices);
        }
    }
}
