package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Multi-head scaled dot-product attention on a packed projection: qkv [B, N, 3·H·d] (timm's layout: q, k, v
 * along the last dimension, heads inside each) → softmax(q·kᵀ·scale)·v as [B, N, H·d], heads merged.
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
        Tensor x = in[0];
        if (x.dim() != 3 || x.size(2) % (3 * heads) != 0) {
            throw new IllegalArgumentException("self-attention: qkv must be [B, N, 3·" + heads + "·head_dim], got " + Shape.str(x.shape()));
        }
        // The head views below need the packed layout; a strided input is packed once (and that copy kept).
        qkv = save(x.contiguous());
        Tensor out;
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] p = split(qkv);
            Tensor probs = probabilities(p[0], p[1]);
            out = mergeHeads(probs.matmul(p[2]));                                     // [B, N, H·d]
            scope.escape(out.storage());
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int b = qkv.size(0);
        int n = qkv.size(1);
        int c = qkv.size(2) / 3;
        Tensor dqkv = Ops.empty(g.dtype(), qkv.shape(), Backends.of(g));
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] p = split(qkv);
            Tensor qs = p[0].mul(scale);
            Tensor probs = Ops.softmax(qs.matmul(p[1].mT()), false);                  // recomputed
            Tensor gh = g.reshape(b, n, heads, c / heads).permute(0, 2, 1, 3);      // [B, H, N, d]
            Tensor[] d = split(dqkv);
            d[2].copyFrom(probs.mT().matmul(gh));                                     // dV = Pᵀ·dO
            Tensor dProbs = gh.matmul(p[2].mT());                                     // dP = dO·Vᵀ
            Backend be = Backends.of(probs);
            Tensor dScores = Ops.empty(probs.dtype(), probs.shape(), be);
            be.softmaxBackward(probs, dProbs, false, dScores);
            d[0].copyFrom(dScores.matmul(p[1]).mul(scale));                            // dQ = dS·K·scale
            d[1].copyFrom(dScores.mT().matmul(qs));                                   // dK = dSᵀ·(Q·scale)
        }
        return new Tensor[] {dqkv};
    }

    /** softmax(q·kᵀ·scale) for q, k [B, H, N, d]. */
    private Tensor probabilities(Tensor q, Tensor k) {
        return Ops.softmax(q.mul(scale).matmul(k.mT()), false);
    }

    /** Views q, k, v [B, H, N, d] of a packed [B, N, 3·H·d] tensor. */
    private Tensor[] split(Tensor packed) {
        int b = packed.size(0);
        int n = packed.size(1);
        int d = packed.size(2) / (3 * heads);
        Tensor heads5 = packed.view(b, n, 3, heads, d).permute(2, 0, 3, 1, 4);
        return new Tensor[] {heads5.select(0, 0), heads5.select(0, 1), heads5.select(0, 2)};
    }

    /** [B, H, N, d] → [B, N, H·d]. */
    private static Tensor mergeHeads(Tensor o) {
        int b = o.size(0);
        int h = o.size(1);
        int n = o.size(2);
        int d = o.size(3);
        return o.transpose(1, 2).contiguous().view(b, n, h * d);
    }
}
