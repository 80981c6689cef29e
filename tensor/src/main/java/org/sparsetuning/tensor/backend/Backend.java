package org.sparsetuning.tensor.backend;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The kernels a device provides. {@link org.sparsetuning.tensor.Ops} does all shape logic (broadcasting,
 * output allocation, argument checks) and calls these with outputs already allocated, so a kernel only
 * computes. Inputs may be any strided view (transposed, sliced, expanded with zero strides) unless a method
 * says otherwise; outputs are always contiguous tensors this backend allocated.
 *
 * <p>The scalar reference backend is the specification of every method; faster backends are tested
 * against it.
 *
 * <p><b>Devices.</b> A backend for a device other than the CPU ({@link org.sparsetuning.tensor.device.Device})
 * computes only on its own storages: every tensor argument must live on its device, and a tensor from
 * elsewhere is an error naming the argument, never an implicit copy. The one exception is {@link #copy}, which
 * also moves data between the host and its device: its {@code src} or its {@code dst} (not both) may be a CPU
 * tensor. {@link org.sparsetuning.tensor.Tensor#to(org.sparsetuning.tensor.device.Device)} and
 * {@link org.sparsetuning.tensor.Ops#copyInto} route such crossings to the device's backend; CPU backends never
 * see a device tensor.
 */
public interface Backend {
    String name();

    /**
     * Bytes this backend keeps beside tensor storage between calls (derived forms of frozen tensors, such as
     * packed GEMM panels), reported apart from {@link org.sparsetuning.tensor.storage.MemoryTracker}'s tensor
     * bytes the way PyTorch reports a caching allocator's reserve apart from allocated memory.
     */
    default long cachedBytes() {
        return 0;
    }

    /** Fresh zero-filled storage on this backend's device. */
    Storage allocate(DType dtype, int length);

    /**
     * Storage for the output of a kernel that writes every element before anything reads it (element-wise ops,
     * matrix products): its contents are unspecified, so a backend that reuses memory need not clear it first.
     * The default is {@link #allocate}.
     */
    default Storage allocateForOverwrite(DType dtype, int length) {
        return allocate(dtype, length);
    }

    /**
     * dst ← src, same shape, converting the element type if the two differ. dst may be a strided view. On a
     * device backend, one of src and dst may be a CPU tensor: this is the upload / download path.
     */
    void copy(Tensor src, Tensor dst);

    /** Every element of dst (any view) ← value. */
    void fill(Tensor dst, double value);

    void unary(UnaryOp op, Tensor x, Tensor out);

    /** a and b have out's shape (broadcast dimensions carry stride 0). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out ← mask ≠ 0 ? a : b; all three have out's shape. */
    void where(Tensor mask, Tensor a, Tensor b, Tensor out);

    /** out has x's shape with dimension {@code dim} set to 1. */
    void reduce(ReduceOp op, Tensor x, int dim, Tensor out);

    /** Index of the first maximum along dim; out is I32 with dimension {@code dim} set to 1. */
    void argmax(Tensor x, int dim, Tensor out);

    /**
     * out[..., m, n] ← act(Σ_k a[..., m, k] · b[..., k, n] + bias[n]). a is [..., M, K], b is [..., K, N],
     * out is [..., M, N] with the same leading (batch) dimensions; a and b may carry stride 0 there. Each
     * matrix of a and b has a unit stride in one of its two last dimensions (row- or column-major), which is
     * how transposed weights are consumed without a copy. bias is null or a [N] tensor.
     */
    void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out);

    /** Softmax (or log-softmax) over the last dimension. */
    void softmax(Tensor x, boolean log, Tensor out);

    /** dx from the forward output y and the upstream gradient dy. */
    void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx);

    /**
     * Multi-head self-attention on a packed projection: out [B, N, H·d] ← softmax(q·scale·kᵀ)·v with the heads
     * merged, where qkv [B, N, 3·H·d] holds q, k and v along its last dimension and the heads inside each (timm's
     * layout). qkv must be contiguous. The default composes it of this backend's other operations
     * ({@link ComposedAttention}), which is its definition; a backend may fuse it.
     */
    default void selfAttention(Tensor qkv, int heads, double scale, Tensor out) {
        ComposedAttention.forward(qkv, heads, scale, out);
    }

    /** dQkv ← the gradient of {@link #selfAttention} with respect to qkv, given dOut [B, N, H·d]; both contiguous. */
    default void selfAttentionBackward(Tensor qkv, Tensor dOut, int heads, double scale, Tensor dQkv) {
        ComposedAttention.backward(qkv, dOut, heads, scale, dQkv);
    }

    /**
     * One AdamW update in place: m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
     * p ← p·(1 − lr·λ) − (lr / c1) · m / (√(v / c2) + ε), the weight decay left out when λ = 0. p, g, m and v have
     * one shape and type; p, m and v are contiguous. The default composes it of this backend's elementwise
     * operations ({@link ComposedAdamW}), which is its definition; a backend may fuse it into one pass.
     */
    default void adamw(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep step) {
        ComposedAdamW.update(p, g, m, v, step);
    }

    /**
     * Layer norm over the last dimension (biased variance). weight and bias are null or [C]; mean and rstd
     * receive one value per row (the product of the leading dimensions) for the backward pass.
     */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd);

    /** Any of dx, dweight, dbias may be null when that gradient is not needed. */
    void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                           Tensor dx, Tensor dweight, Tensor dbias);

    /** torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1; out has index's shape. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** torch.scatter_add_: dst[i][index[i][j][k]][k] += src[i][j][k] for dim = 1. */
    void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src);

    /** out = x.index_select(dim, index) with a 1-D I32 index. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** dst.index_add_(dim, index, src): the adjoint of indexSelect. */
    void indexAdd(Tensor dst, int dim, Tensor index, Tensor src);

    /** The k largest values of each row of the last dimension, in descending order, with their I32 indices. */
    void topk(Tensor x, int k, Tensor values, Tensor indices);
}
