package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
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
        int b = x.size(0);
        int n = x.size(1);
        int c = x.size(2);
        // Temporaries die with the scope unless an autograd node saved them for backward.
        try (TensorScope scope = TensorScope.open()) {
            Variable qkvHeads = qkv.forward(x).reshape(b, n, 3, heads, headDim).permute(2, 0, 3, 1, 4);
            Variable q = qkvHeads.select(0, 0);
            Variable k = qkvHeads.select(0, 1);
            Variable v = qkvHeads.select(0, 2);
            Variable probs = q.mul(scale).matmul(k.mT()).softmax();                  // [B, H, N, N]
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
}
