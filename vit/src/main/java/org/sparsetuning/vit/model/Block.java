package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Mlp;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * A pre-norm encoder layer with Token Sparsification, and the attached method's {@link MethodHooks} (Sparse-Tuning's
 * Dense Adapter is the {@code parallel} branch, SPEC A.5):
 * <pre>
 *   y   = x + MHSA(LN1(x))
 *   y   = TS(y)                          if this layer sparsifies
 *   out = y + MLP(LN2(y)) + branch       branch = s·DA(y, S(x_DA_{N−1}), S(x_DA_{N−3})) for Sparse-Tuning
 * </pre>
 */
public final class Block extends Module {
    static final double LN_EPS = 1e-6;

    /** 0-based block index; the paper's layer number is index + 1. */
    public final int index;
    public final LayerNorm norm1;
    public final Attention attn;
    public final LayerNorm norm2;
    public final Mlp mlp;
    private MethodHooks hooks = MethodHooks.NONE;

    public Block(int index, VitConfig cfg, Generator g) {
        this.index = index;
        int dim = cfg.embedDim();
        this.norm1 = child("norm1", new LayerNorm(dim, LN_EPS));
        this.attn = child("attn", new Attention(dim, cfg.numHeads(), g));
        this.norm2 = child("norm2", new LayerNorm(dim, LN_EPS));
        this.mlp = child("mlp", new Mlp(dim, cfg.mlpHidden(), g));
    }

    /** Registers a method's module under this block (e.g. {@code dense_adapter}), so its names read {@code blocks.i.*}. */
    public <M extends Module> M extend(String name, M module) {
        return child(name, module);
    }

    /** Registers a method's tensor directly under this block (e.g. VPT's {@code prompt}). */
    public Variable extendParameter(String name, Tensor init) {
        return parameter(name, init);
    }

    void setHooks(MethodHooks h) {
        this.hooks = h;
    }

    /**
     * One encoder layer, the three lines above. Each sub-layer runs in a tensor scope ({@link Module#scoped}), so
     * what backward does not read (LN1's output under a frozen qkv, the sub-layer outputs before their residual
     * additions) is freed when its line ends; what must outlive the block (a Dense Adapter output, a selection) is
     * held by its owner.
     */
    public Variable forward(Variable x, TokenTracker tokens) {
        Variable in = hooks.beforeBlock(index, x);
        Variable y = scoped(() -> attentionThenSparsify(in, tokens));
        Variable yn = norm2.forward(y);
        Variable out = scoped(() -> plus(y.add(hooks.afterMlp(index, mlp.forward(yn))), hooks.parallel(index, y, yn)));
        return hooks.afterBlock(index, out);
    }

    /** y = x + MHSA(LN1(x)), then y = TS(y) ranked by the CLS attentiveness if this layer sparsifies. */
    private Variable attentionThenSparsify(Variable x, TokenTracker tokens) {
        int layer = index + 1;
        boolean sparsify = tokens.sparsifiesAt(layer);
        Variable xn = norm1.forward(x);
        Attention.Output att = attn.forward(xn, sparsify, hooks.attentionDeltas(index, xn));
        Variable y = x.add(hooks.afterAttention(index, att.out()));
        return sparsify ? tokens.sparsify(layer, y, att.clsScores()) : y;
    }

    private static Variable plus(Variable a, Variable branch) {
        return branch == null ? a : a.add(branch);
    }
}
