package org.sparsetuning.tensor.backend;

import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Multi-head self-attention written with a backend's general operations (strided head views, batched
 * products, softmax): the definition of {@link Backend#selfAttention} and its backward, which a backend without
 * a fused kernel uses as it is and a fused kernel is tested against.
 */
public final class ComposedAttention {
    private ComposedAttention() {
    }

    /** out [B, N, H·d] ← softmax(q·scale·kᵀ)·v, heads merged, for qkv [B, N, 3·H·d]. */
    public static void forward(Tensor qkv, int heads, double scale, Tensor out) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] p = split(qkv, heads);
            Tensor probs = Ops.softmax(p[0].mul(scale).matmul(p[1].mT()), false);
            out.copyFrom(mergeHeads(probs.matmul(p[2])));
        }
    }

    /** dQkv [B, N, 3·H·d] ← the gradient of {@link #forward}'s output with respect to qkv, given dOut. */
    public static void backward(Tensor qkv, Tensor dOut, int heads, double scale, Tensor dQkv) {
        int b = qkv.size(0);
        int n = qkv.size(1);
        int c = qkv.size(2) / 3;
        try (TensorScope scope = TensorScope.open()) {
            Tensor[] p = split(qkv, heads);
            Tensor qs = p[0].mul(scale);
            Tensor probs = Ops.softmax(qs.matmul(p[1].mT()), false);
            Tensor gh = dOut.reshape(b, n, heads, c / heads).permute(0, 2, 1, 3);     // [B, H, N, d]
            Tensor[] d = split(dQkv, heads);
            d[2].copyFrom(probs.mT().matmul(gh));                                     // dV = Pᵀ·dO
            Tensor dProbs = gh.matmul(p[2].mT());                                     // dP = dO·Vᵀ
            Backend be = Backends.of(probs);
            Tensor dScores = Ops.empty(probs.dtype(), probs.shape(), be);
            be.softmaxBackward(probs, dProbs, false, dScores);
            d[0].copyFrom(dScores.matmul(p[1]).mul(scale));                            // dQ = dS·K·scale
            d[1].copyFrom(dScores.mT().matmul(qs));                                   // dK = dSᵀ·(Q·scale)
        }
    }

    /** Views q, k, v [B, H, N, d] of a packed [B, N, 3·H·d] tensor. */
    private static Tensor[] split(Tensor packed, int heads) {
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
