package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.flops.FlopKind;
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
            Variable packed = qkv.forward(x);                                           // [B, N, 3C]: q, k, v
            if (delta != null) {
                packed = withDeltas(packed, delta, c);
            }
            Variable out = proj.forward(F.selfAttention(packed, heads, scale));
            Variable cls = null;
            if (withClsScores) {
                cls = clsScores(packed, b, n, c);
                scope.escape(cls.data().storage());
            }
            scope.escape(out.data().storage());
            return new Output(out, cls);
        }
    }

    /**
     * The methods' additions to q and v, packed again as [q + Δq, k, v + Δv]. A Δq meant to be added after the
     * 1/√d scaling (KAdaptation, SPEC C) enters as Δq·√d before it, which is the same product.
     */
    private Variable withDeltas(Variable packed, QvDelta delta, int c) {
        Variable q = packed.narrow(2, 0, c);
        Variable k = packed.narrow(2, c, c);
        Variable v = packed.narrow(2, 2 * c, c);
        if (delta.q() != null) {
            q = q.add(delta.qAfterScale() ? delta.q().mul(1.0 / scale) : delta.q());
        }
        if (delta.v() != null) {
            v = v.add(delta.v());
        }
        return F.concat(2, q, k, v);
    }

    /**
     * a[b, j] = mean_h P[b, h, 0, 1+j]: the class token's attention to each patch token, averaged over heads,
     * with the softmax over all keys (CLS included), not renormalised over the candidates. Computed from the
     * class token's query row alone, so the full probability matrix need not be kept; gradients reach q_cls
     * and k as they would through P's first row.
     */
    private Variable clsScores(Variable packed, int b, int n, int c) {
        try (FlopCounter.Scope extra = FlopCounter.reportProductsAs(FlopKind.DUPLICATE)) {
            Variable heads5 = packed.reshape(b, n, 3, heads, headDim).permute(2, 0, 3, 1, 4);
            Variable qCls = heads5.select(0, 0).narrow(2, 0, 1);                      // [B, H, 1, d], a view
            Variable k = heads5.select(0, 1);                                           // [B, H, N, d], a view
            Variable row = qCls.mul(scale).matmul(k.mT()).softmax();                    // [B, H, 1, N]
            return row.select(2, 0).narrow(2, 1, n - 1).mean(1, false);                // [B, N−1]
        }
    }

}
