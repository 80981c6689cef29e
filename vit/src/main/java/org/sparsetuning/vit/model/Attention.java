package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Multi-head self-attention with a fused qkv projection (timm layout: rows q, k, v; within each, row
 * h·head_dim + d) and the 1/√head_dim scale applied to q. It can also hand back the CLS attentiveness
 * that Token Sparsification ranks tokens by.
 */
public final class Attention extends Module {
    private final int heads;
    private final int headDim;
    private final double scale;
    public final Linear qkv;
    public final Linear proj;

    /** The sub-layer output, and a[b, j] = mean_h P[b, h, 0, 1+j] when asked for (else null). */
    public record Output(Variable out, Variable clsScores) {
    }

    public Attention(int dim, int heads, Generator g) {
        this.heads = heads;
        this.headDim = dim / heads;
        this.scale = 1.0 / Math.sqrt(headDim);
        this.qkv = child("qkv", new Linear(dim, 3 * dim, g));
        this.proj = child("proj", new Linear(dim, dim, g));
    }

    public Output forward(Variable x, boolean withClsScores) {
        return forward(x, withClsScores, null);
    }

    /** Registers a method's module under this attention layer (e.g. {@code lora_q}), so its names read {@code blocks.i.attn.*}. */
    public <M extends Module> M extend(String name, M module) {
        return child(name, module);
    }

    /** Registers a method's tensor directly under this attention layer (e.g. {@code kadapt_bias}). */
    public Variable extendParameter(String name, Tensor init) {
        return parameter(name, init);
    }

    /** @param delta additions to q and v (null: none) */
    public Output forward(Variable x, boolean withClsScores, QvDelta delta) {
        int b = x.size(0);
        int n = x.size(1);
        int c = x.size(2);
        // Temporaries die with the scope unless an autograd node saved them for backward.
        try (TensorScope scope = TensorScope.open()) {
            Variable q;
            Variable k;
            Variable v;
            Variable qScaled;
            if (delta == null) {
                Variable qkvHeads = qkv.forward(x).reshape(b, n, 3, heads, headDim).permute(2, 0, 3, 1, 4);
                q = qkvHeads.select(0, 0);
                k = qkvHeads.select(0, 1);
                v = qkvHeads.select(0, 2);
                qScaled = q.mul(scale);
            } else {
                Variable all = qkv.forward(x);                                          // [B, N, 3C]: q, k, v
                q = all.narrow(2, 0, c);
                k = splitHeads(all.narrow(2, c, c), b, n);
                v = all.narrow(2, 2 * c, c);
                if (delta.q() != null && !delta.qAfterScale()) {
                    q = q.add(delta.q());
                }
                if (delta.v() != null) {
                    v = v.add(delta.v());
                }
                v = splitHeads(v, b, n);
                qScaled = splitHeads(q, b, n).mul(scale);
                if (delta.q() != null && delta.qAfterScale()) {
                    qScaled = qScaled.add(splitHeads(delta.q(), b, n));
                }
            }
            Variable probs = qScaled.matmul(k.mT()).softmax();                       // [B, H, N, N]
            Variable mixed = probs.matmul(v).transpose(1, 2).reshape(b, n, c);
            Variable out = proj.forward(mixed);
            Variable cls = null;
            if (withClsScores) {
                // Full softmax over all keys (CLS included), not renormalised over the candidates.
                cls = probs.select(2, 0).narrow(2, 1, n - 1).mean(1, false);        // [B, N−1]
                scope.escape(cls.data().storage());
            }
            scope.escape(out.data().storage());
            return new Output(out, cls);
        }
    }

    /** [B, N, C] → [B, H, N, head_dim] */
    private Variable splitHeads(Variable t, int b, int n) {
        return t.reshape(b, n, heads, headDim).transpose(1, 2);
    }
}
