package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention on a packed projection: qkv [B, N, 3·H·d] (timm's layout: q, k, v
 * along the last dimension, heads inside each) → softmax(q·kᵀ·scale)·v as [B, N, H·d], heads merged
 * ({@link Ops#selfAttention}; the SIMD backend fuses it per batch item and head).
 *
 * <p>It keeps only the qkv input for backward and recomputes the attention probabilities there. The
 * probabilities are the largest activation of a transformer block (B·H·N² values, three times qkv at ViT-B
 * sizes), so not holding them across the whole forward pass is worth one extra q·kᵀ product in backward
 * (about 3% of a block's work). The gradient comes back as one packed [B, N, 3·H·d] tensor, so the qkv
 * projection gets a single buffer instead of three sliced ones to add up.
 */
public final class SelfAttention extends Function {
    private final int heads;
    private final double scale;
    private Tensor qkv;

    public SelfAttention(int heads, double scale) {
        if (heads <= 0) {
            throw new IllegalArgumentException("heads must be positive, got " + heads);
        }
        this.heads = heads;
        this.scale = scale;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        // A strided input is packed once (and that copy kept for backward).
        qkv = save(in[0].contiguous());
        return Ops.selfAttention(qkv, heads, scale);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.selfAttentionBackward(qkv, g, heads, scale)};
    }
}
