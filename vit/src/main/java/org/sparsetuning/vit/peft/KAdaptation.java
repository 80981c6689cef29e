package org.sparsetuning.vit.peft;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Module;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.QvDelta;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * KAdaptation (SPEC C) on the q and v projections, with the official code's three defects fixed (C.2): v has its
 * own shared A set and its own B factors, b_left starts non-zero so gradients flow, and the delta is per token in
 * q's own layout. For p in {q, v} of block i, with n = {@code kadapt_n}, m = D / n:
 * <pre>
 *   H_p     = Σ_k kron(A_k^p, B_k^{p,i})            A_k = a_left[k]·a_right[k] (shared by all blocks), B_k rank r
 *   delta_p = (LN1(x)·H_p)·scale + bias_i          bias shared by q and v of the block
 * </pre>
 * The q delta is added after q is scaled by 1/√head_dim ({@code q/√d + Δq}), as SPEC C.2 describes the official code
 * (the order is not one of the defects C.2 fixes); {@code kadapt_delta_after_scale: false} adds it before
 * ({@code (q + Δq)/√d}, ΔW as part of the projection). The code's dropout on H is not applied.
 */
public final class KAdaptation implements MethodHooks {
    /** The shared A sets, {@code kadaptation.q.*} and {@code kadaptation.v.*}. */
    public static final class SharedA extends Module {
        public final FactorPairs q;
        public final FactorPairs v;

        SharedA(int n, Generator g) {
            q = child("q", shared(n, g));
            v = child("v", shared(n, g));
        }

        private static FactorPairs shared(int n, Generator g) {
            return new FactorPairs("a_left", Init.uniform(g, -0.01, 0.01, n, n, 1),
                    "a_right", Init.uniform(g, -0.01, 0.01, n, 1, n));
        }
    }

    private final SharedA shared;
    private final List<FactorPairs> bq = new ArrayList<>();
    private final List<FactorPairs> bv = new ArrayList<>();
    private final List<Variable> bias = new ArrayList<>();
    private final double scale;
    private final boolean afterScale;

    public KAdaptation(VisionTransformer model, Generator g) {
        int dim = model.cfg.embedDim();
        int n = model.cfg.options().kadaptN();
        int rank = model.cfg.options().kadaptRank();
        int m = dim / n;
        this.scale = model.cfg.options().kadaptScale();
        this.afterScale = model.cfg.options().kadaptDeltaAfterScale();
        this.shared = model.extend("kadaptation", new SharedA(n, g));
        for (Block blk : model.blocks) {
            bq.add(blk.attn.extend("kadapt_q", perBlock(n, m, rank, g)));
            bv.add(blk.attn.extend("kadapt_v", perBlock(n, m, rank, g)));
            bias.add(blk.attn.extendParameter("kadapt_bias", Init.zeros(dim)));
        }
    }

    /** b_left Glorot-uniform over its last two dims, b_right zero: ΔW starts at 0 with a live gradient. */
    private static FactorPairs perBlock(int n, int m, int rank, Generator g) {
        double bound = Math.sqrt(6.0 / (m + rank));
        return new FactorPairs("b_left", Init.uniform(g, -bound, bound, n, m, rank), "b_right", Init.zeros(n, rank, m));
    }

    @Override
    public QvDelta attentionDeltas(int block, Variable xn) {
        Variable b = bias.get(block);
        return new QvDelta(delta(xn, shared.q, bq.get(block), b), delta(xn, shared.v, bv.get(block), b), afterScale);
    }

    private Variable delta(Variable xn, FactorPairs a, FactorPairs b, Variable bias) {
        Variable h = KroneckerSum.of(a.matrices(), b.matrices());   // [D, D], used as (in, out)
        return F.linear(xn, h.mul(scale).mT(), bias);
    }

    @Override
    public List<Variable> ownTensors() {
        return java.util.stream.Stream.of(MethodHooks.tensorsOf(List.of(shared)), MethodHooks.tensorsOf(bq),
                MethodHooks.tensorsOf(bv), bias).flatMap(List::stream).toList();
    }
}
