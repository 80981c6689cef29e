package org.sparsetuning.tensor;

import java.util.Arrays;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.flops.FlopCounter;

/**
 * Every tensor computation: checks arguments, works out output shapes (broadcasting by NumPy's rules),
 * allocates the output on the inputs' backend and hands over to its kernel.
 */
public final class Ops {
    private Ops() {
    }

    public static Tensor empty(DType dtype, int[] shape, Backend be) {
        return new Tensor(be.allocate(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    /**
     * An output tensor whose elements the kernel called next writes, every one, before anything reads them: its
     * storage comes from {@link Backend#allocateForOverwrite}, not cleared first. Only for such outputs; a kernel
     * that accumulates into its output, or writes part of it, needs {@link #empty}.
     */
    public static Tensor emptyForOverwrite(DType dtype, int[] shape, Backend be) {
        return new Tensor(be.allocateForOverwrite(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    /** Output type of an arithmetic op: F64 if any input is, else F32. */
    private static DType floatType(Tensor a, Tensor b) {
        return a.dtype() == DType.F64 || b.dtype() == DType.F64 ? DType.F64 : DType.F32;
    }

    public static Tensor scalarLike(Tensor like, double v) {
        Tensor s = empty(like.dtype() == DType.F64 ? DType.F64 : DType.F32, new int[0], Backends.of(like));
        Backends.of(s).fill(s, v);
        return s;
    }

    /** A tensor of x's shape, dtype and device filled with ones (the seed of a backward pass). */
    public static Tensor scalarOnesLike(Tensor x) {
        Tensor t = empty(x.dtype(), x.shape(), Backends.of(x));
        Backends.of(t).fill(t, 1.0);
        return t;
    }

    public static Tensor copyOf(Tensor x, DType dtype, Backend be) {
        Tensor out = emptyForOverwrite(dtype, x.shape(), be);
        be.copy(x, out);
        return out;
    }

    /**
     * x copied to {@code device} (same dtype, contiguous). A crossing between the host and a device is done by
     * the device's backend ({@link Backend#copy}); between two devices it goes through the host.
     */
    public static Tensor transfer(Tensor x, Device device) {
        boolean fromCpu = x.isOnCpu();
        if (!fromCpu && !device.isCpu()) {
            return transfer(transfer(x, Devices.cpu()), device);
        }
        Backend crossing = fromCpu ? device.backend() : Backends.of(x);
        Tensor out = empty(x.dtype(), x.shape(), device.backend());
        crossing.copy(x, out);
        return out;
    }

    /** dst ← src (same shape), wherever each lives; a host/device pair is copied by the device's backend. */
    public static void copyInto(Tensor src, Tensor dst) {
        boolean srcCpu = src.isOnCpu();
        boolean dstCpu = dst.isOnCpu();
        if (srcCpu == dstCpu && !src.storage().device().equals(dst.storage().device())) {
            copyInto(transfer(src, Devices.cpu()), dst); // device to another device: through the host
            return;
        }
        Backend be = dstCpu && !srcCpu ? Backends.of(src) : Backends.of(dst);
        be.copy(src, dst);
    }

    public static Tensor unary(UnaryOp op, Tensor x) {
        Backend be = Backends.of(x);
        Tensor out = emptyForOverwrite(x.dtype() == DType.F64 ? DType.F64 : DType.F32, x.shape(), be);
        be.unary(op, x, out);
        return out;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Backend be = Backends.of(a, b);
        Tensor out = emptyForOverwrite(floatType(a, b), shape, be);
        be.binary(op, a.expand(shape), b.expand(shape), out);
        return out;
    }

    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(mask.shape(), Shape.broadcast(a.shape(), b.shape()));
        Backend be = Backends.of(a, b);
        Tensor out = empty(floatType(a, b), shape, be);
        be.where(mask.expand(shape), a.expand(shape), b.expand(shape), out);
        return out;
    }

    public static Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepdim) {
        int d = Shape.dim(dim, x.dim());
        int[] shape = x.shape();
        shape[d] = 1;
        Backend be = Backends.of(x);
        Tensor out = empty(x.dtype() == DType.F64 ? DType.F64 : DType.F32, shape, be);
        be.reduce(op, x, d, out);
        return keepdim ? out : out.squeeze(d);
    }

    public static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepdim) {
        int[] ds = normalise(dims, x.dim());
        Tensor r = x;
        for (int d : ds) {
            r = reduce(op, r, d, true);
        }
        if (!keepdim) {
            for (int i = ds.length - 1; i >= 0; i--) {
                r = r.squeeze(ds[i]);
            }
        }
        return r;
    }

    /** Reduction over every element, as a 0-d tensor. */
    public static Tensor reduceAll(ReduceOp op, Tensor x) {
        Tensor flat = x.reshape(x.numel());
        return reduce(op, flat, 0, false);
    }

    private static int[] normalise(int[] dims, int rank) {
        int[] ds = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            ds[i] = Shape.dim(dims[i], rank);
        }
        Arrays.sort(ds);
        for (int i = 1; i < ds.length; i++) {
            if (ds[i] == ds[i - 1]) {
                throw new IllegalArgumentException("dimension " + ds[i] + " listed twice in " + Arrays.toString(dims));
            }
        }
        return ds;
    }

    public static Tensor argmax(Tensor x, int dim, boolean keepdim) {
        int d = Shape.dim(dim, x.dim());
        int[] shape = x.shape();
        shape[d] = 1;
        Backend be = Backends.of(x);
        Tensor out = empty(DType.I32, shape, be);
        be.argmax(x, d, out);
        return keepdim ? out : out.squeeze(d);
    }

    /** Variance with Bessel-style {@code correction} (0 = biased, 1 = unbiased). */
    public static Tensor var(Tensor x, int[] dims, boolean keepdim, int correction) {
        int[] ds = normalise(dims, x.dim());
        long n = 1;
        for (int d : ds) {
            n *= x.size(d);
        }
        Tensor centred = x.sub(reduce(ReduceOp.MEAN, x, ds, true));
        Tensor ss = reduce(ReduceOp.SUM, centred.square(), ds, keepdim);
        return ss.div(Math.max(n - correction, 0));
    }

    /**
     * Matrix product with NumPy's rules: 1-D operands are promoted and the added dimension removed again,
     * batch dimensions broadcast. Optional fused bias ([N]) and activation.
     */
    public static Tensor matmul(Tensor a, Tensor b, Tensor bias, Activation act) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul of a 0-d tensor");
        }
        boolean vecA = a.dim() == 1;
        boolean vecB = b.dim() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;
        Tensor b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.size(-2);
        int k = a2.size(-1);
        int n = b2.size(-1);
        if (b2.size(-2) != k) {
            throw new IllegalArgumentException("matmul: " + Shape.str(a.shape()) + " @ " + Shape.str(b.shape()) + ": inner dimensions differ");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != n)) {
            throw new IllegalArgumentException("matmul bias must be [" + n + "], got " + Shape.str(bias.shape()));
        }
        int[] batchA = Arrays.copyOf(a2.shape(), a2.dim() - 2);
        int[] batchB = Arrays.copyOf(b2.shape(), b2.dim() - 2);
        int[] batch = Shape.broadcast(batchA, batchB);
        if (FlopCounter.active()) {
            FlopCounter.product((long) Shape.numel(batch) * m * k * n);
        }
        // [.., M, K] @ [K, N] with a collapsible batch: one big GEMM instead of many small ones.
        if (b2.dim() == 2 && a2.dim() > 2 && canMergeRows(a2)) {
            Tensor flat = a2.reshape(-1, k);
            Tensor out = matmul2(flat, b2, bias, act, floatType(a, b));
            int[] shape = Arrays.copyOf(batch, batch.length + 2);
            shape[batch.length] = m;
            shape[batch.length + 1] = n;
            return finish(out.view(shape), vecA, vecB);
        }
        int[] sa = Arrays.copyOf(batch, batch.length + 2);
        sa[batch.length] = m;
        sa[batch.length + 1] = k;
        int[] sb = Arrays.copyOf(batch, batch.length + 2);
        sb[batch.length] = k;
        sb[batch.length + 1] = n;
        int[] so = Arrays.copyOf(batch, batch.length + 2);
        so[batch.length] = m;
        so[batch.length + 1] = n;
        Tensor ea = matrixLayout(a2.expand(sa));
        Tensor eb = matrixLayout(b2.expand(sb));
        Backend be = Backends.of(a, b);
        Tensor out = emptyForOverwrite(floatType(a, b), so, be);
        be.matmul(ea, eb, bias, act, out);
        return finish(out, vecA, vecB);
    }

    private static Tensor matmul2(Tensor a, Tensor b, Tensor bias, Activation act, DType dtype) {
        Backend be = Backends.of(a, b);
        Tensor out = emptyForOverwrite(dtype, new int[] {a.size(0), b.size(1)}, be);
        be.matmul(matrixLayout(a), matrixLayout(b), bias, act, out);
        return out;
    }

    private static Tensor finish(Tensor out, boolean vecA, boolean vecB) {
        Tensor r = out;
        if (vecB) {
            r = r.squeeze(-1);
        }
        if (vecA) {
            r = r.squeeze(vecB ? -1 : -2);
        }
        return r;
    }

    /** True when the rows of all leading dimensions can be viewed as one [rows, K] matrix. */
    private static boolean canMergeRows(Tensor a) {
        int[] st = a.strides();
        int[] sh = a.shape();
        if (st[sh.length - 1] != 1) {
            return false;
        }
        for (int i = sh.length - 2; i > 0; i--) {
            if (sh[i - 1] != 1 && st[i - 1] != st[i] * sh[i]) {
                return false;
            }
        }
        return true;
    }

    /** Kernels need a unit stride in one of the last two dimensions; anything else is copied once. */
    private static Tensor matrixLayout(Tensor t) {
        int r = t.dim();
        boolean rowMajor = t.stride(r - 1) == 1 || t.size(r - 1) == 1;
        boolean colMajor = t.stride(r - 2) == 1 || t.size(r - 2) == 1;
        return rowMajor || colMajor ? t : t.contiguous();
    }

    /**
     * One AdamW update of parameter p and its moments m and v, in place, from the gradient g ({@link Backend#adamw}).
     * All four share a shape, a type and a device; p, m and v must be contiguous (g may be any view).
     */
    public static void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep step) {
        Tensor[] all = {p, g, m, v};
        String[] names = {"parameter", "gradient", "first moment", "second moment"};
        for (int i = 1; i < all.length; i++) {
            if (!Arrays.equals(all[i].shape(), p.shape()) || all[i].dtype() != p.dtype()
                    || !all[i].storage().device().equals(p.storage().device())) {
                throw new IllegalArgumentException("adamw: " + names[i] + " is " + all[i].dtype() + " " + Shape.str(all[i].shape())
                        + " on " + all[i].storage().device() + ", expected the parameter's " + p.dtype() + " " + Shape.str(p.shape())
                        + " on " + p.storage().device());
            }
        }
        for (int i : new int[] {0, 2, 3}) {
            if (!all[i].isContiguous()) {
                throw new IllegalArgumentException("adamw: the " + names[i] + " must be contiguous (it is updated in place)");
            }
        }
        Backends.of(p).adamw(p, g, m, v, step);
    }

    /**
     * Layer norm over the last dimension into preallocated outputs (the contract of
     * {@link Backend#layerNorm}); weight and bias may be null.
     */
    public static void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        if (FlopCounter.active()) {
            FlopCounter.layerNorm(x.numel(), weight != null);
        }
        Backends.of(x).layerNorm(x, weight, bias, eps, out, mean, rstd);
    }

    /**
     * Multi-head self-attention on a packed projection qkv [B, N, 3·H·d] (q, k, v along the last dimension, heads
     * inside each): softmax(q·scale·kᵀ)·v as [B, N, H·d], heads merged ({@link Backend#selfAttention}). Counted
     * as its two products, B·H·N²·d multiply-adds each, however the backend computes them.
     */
    public static Tensor selfAttention(Tensor qkv, int heads, double scale) {
        checkAttention(qkv, heads);
        Tensor x = qkv.contiguous();
        int c = x.size(2) / 3;
        Backend be = Backends.of(x);
        Tensor out = emptyForOverwrite(x.dtype(), new int[] {x.size(0), x.size(1), c}, be);
        if (FlopCounter.active()) {
            FlopCounter.product(2L * x.size(0) * x.size(1) * x.size(1) * c);
        }
        try (FlopCounter.Scope counted = FlopCounter.uncounted()) {
            be.selfAttention(x, heads, scale, out);
        }
        return out;
    }

    /** The gradient of {@link #selfAttention} with respect to its (contiguous) qkv input, given dOut. */
    public static Tensor selfAttentionBackward(Tensor qkv, Tensor dOut, int heads, double scale) {
        checkAttention(qkv, heads);
        if (!qkv.isContiguous()) {
            throw new IllegalArgumentException("self-attention backward: qkv must be contiguous (the tensor the forward pass used)");
        }
        int[] outShape = {qkv.size(0), qkv.size(1), qkv.size(2) / 3};
        if (!Arrays.equals(dOut.shape(), outShape)) {
            throw new IllegalArgumentException("self-attention backward: gradient must be " + Shape.str(outShape) + ", got " + Shape.str(dOut.shape()));
        }
        Backend be = Backends.of(qkv);
        Tensor dQkv = emptyForOverwrite(qkv.dtype(), qkv.shape(), be);
        try (FlopCounter.Scope counted = FlopCounter.uncounted()) {
            be.selfAttentionBackward(qkv, dOut.contiguous(), heads, scale, dQkv);
        }
        return dQkv;
    }

    private static void checkAttention(Tensor qkv, int heads) {
        if (heads <= 0) {
            throw new IllegalArgumentException("self-attention: heads must be positive, got " + heads);
        }
        if (qkv.dim() != 3 || qkv.size(2) % (3 * heads) != 0) {
            throw new IllegalArgumentException("self-attention: qkv must be [B, N, 3·" + heads + "·head_dim], got " + Shape.str(qkv.shape()));
        }
    }

    public static Tensor softmax(Tensor x, boolean log) {
        Backend be = Backends.of(x);
        Tensor out = emptyForOverwrite(x.dtype(), x.shape(), be);
        be.softmax(x, log, out);
        return out;
    }

    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Shape.dim(dim, x.dim());
        requireIndex(index, "gather");
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException("gather: index rank " + index.dim() + " differs from input rank " + x.dim());
        }
        Backend be = Backends.of(x);
        Tensor out = emptyForOverwrite(x.dtype(), index.shape(), be);
        be.gather(x, d, index, out);
        return out;
    }

    /** A copy of dst with src's values added at index along dim (torch.scatter_add). */
    public static Tensor scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        int d = Shape.dim(dim, dst.dim());
        requireIndex(index, "scatterAdd");
        Tensor out = dst.copy();
        Backends.of(dst).scatterAdd(out, d, index, src);
        return out;
    }

    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int d = Shape.dim(dim, x.dim());
        requireIndex(index, "indexSelect");
        if (index.dim() != 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got " + Shape.str(index.shape()));
        }
        int[] shape = x.shape();
        shape[d] = index.size(0);
        Backend be = Backends.of(x);
        Tensor out = emptyForOverwrite(x.dtype(), shape, be);
        be.indexSelect(x, d, index, out);
        return out;
    }

    /** A zero tensor of {@code shape} with src added at index along dim: the adjoint of indexSelect. */
    public static Tensor indexAdd(int[] shape, int dim, Tensor index, Tensor src) {
        int d = Shape.dim(dim, shape.length);
        requireIndex(index, "indexAdd");
        Backend be = Backends.of(src);
        Tensor out = empty(src.dtype(), shape, be);
        be.indexAdd(out, d, index, src);
        return out;
    }

    /** {values, indices} of the k largest entries of each last-dimension row, in descending order. */
    public static Tensor[] topk(Tensor x, int k) {
        int n = x.size(-1);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("topk: k = " + k + " for rows of " + n);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = k;
        Backend be = Backends.of(x);
        Tensor values = empty(x.dtype(), shape, be);
        Tensor indices = empty(DType.I32, shape, be);
        be.topk(x, k, values, indices);
        return new Tensor[] {values, indices};
    }

    public static Tensor concat(Tensor[] parts, int dim) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat of nothing");
        }
        int d = Shape.dim(dim, parts[0].dim());
        int[] shape = parts[0].shape();
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (s.length != shape.length) {
                throw new IllegalArgumentException("concat: ranks differ: " + Shape.str(s) + " vs " + Shape.str(shape));
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != shape[i]) {
                    throw new IllegalArgumentException("concat along " + d + ": shapes " + Shape.str(s) + " and " + Shape.str(shape) + " differ");
                }
            }
            total += s[d];
        }
        shape[d] = total;
        Backend be = Backends.of(parts[0]);
        Tensor out = emptyForOverwrite(parts[0].dtype(), shape, be);   // the parts cover it along d
        int at = 0;
        for (Tensor p : parts) {
            be.copy(p, out.narrow(d, at, p.size(d)));
            at += p.size(d);
        }
        return out;
    }

    public static Tensor stack(Tensor[] parts, int dim) {
        Tensor[] u = new Tensor[parts.length];
        int d = parts.length == 0 ? 0 : Shape.dim(dim, parts[0].dim() + 1);
        for (int i = 0; i < parts.length; i++) {
            u[i] = parts[i].unsqueeze(d);
        }
        return concat(u, d);
    }

    private static void requireIndex(Tensor index, String op) {
        if (index.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": index must be I32, got " + index.dtype());
        }
    }

    /** Sums a broadcast gradient back down to {@code shape} (the adjoint of expand). */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) {
            return g;
        }
        Tensor r = g;
        int lead = g.dim() - shape.length;
        for (int i = 0; i < lead; i++) {
            r = reduce(ReduceOp.SUM, r, 0, false);
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1 && r.size(i) != 1) {
                r = reduce(ReduceOp.SUM, r, i, true);
            }
        }
        return r;
    }
}
