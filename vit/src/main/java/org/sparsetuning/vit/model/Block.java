package org.sparsetuning.vit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Mlp;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.adapter.AdapterOutputs;
import org.sparsetuning.vit.adapter.DenseAdapter;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * A pre-norm encoder layer, with Sparse-Tuning's two additions (and the {@link MethodHooks} of another method):
 * <pre>
 *   y   = x + MHSA(LN1(x))
 *   y   = TS(y)                       if this layer sparsifies
 *   out = y + MLP(LN2(y)) + s·DA(y, S(x_DA_{N−1}), S(x_DA_{N−3}))
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
    public final DenseAdapter denseAdapter;
    private final double adapterScale;
    private MethodHooks hooks = MethodHooks.NONE;

    public Block(int index, VitConfig cfg, boolean withDenseAdapter, Generator g) {
        this.index = index;
        int dim = cfg.embedDim();
        this.norm1 = child("norm1", new LayerNorm(dim, LN_EPS));
        this.attn = child("attn", new Attention(dim, cfg.numHeads(), g));
        this.norm2 = child("norm2", new LayerNorm(dim, LN_EPS));
        this.mlp = child("mlp", new Mlp(dim, cfg.mlpHidden(), g));
        this.denseAdapter = withDenseAdapter
                ? child("dense_adapter", new DenseAdapter(dim, cfg.adapterDim(),
                        cfg.denseInputs().stream().filter(j -> index - j >= 0).toList(), g))
                : null;
        this.adapterScale = cfg.adapterScale();
    }

    /** Registers a method's module under this block (e.g. {@code adaptformer}), so its names read {@code blocks.i.*}. */
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
     * One encoder layer. The sub-layers run in tensor scopes so that what backward does not read (LN1's output
     * under a frozen qkv, the attention and MLP outputs before their residual additions) is freed as soon as it
     * has been added, not at the end of the pass. What must outlive a block (a Dense Adapter output, a
     * method's stored value, a token selection) is held by a reference of its own.
     */
    public Variable forward(Variable x, TokenTracker tokens, AdapterOutputs adapterOutputs) {
        int layer = index + 1;
        boolean sparsify = tokens.sparsifiesAt(layer);
        Variable in = hooks.beforeBlock(index, x);
        Variable y;
        try (TensorScope scope = TensorScope.open()) {
            Variable xn = norm1.forward(in);
            Attention.Output att = attn.forward(xn, sparsify, hooks.attentionDeltas(index, xn));
            y = in.add(hooks.afterAttention(index, att.out()));
            if (sparsify) {
                y = tokens.sparsify(layer, y, att.clsScores());
            }
            scope.escape(y.data().storage());
        }
        Variable tokensIn = y;
        Variable yn = norm2.forward(tokensIn);
        Variable out = scoped(() -> {
            Variable o = tokensIn.add(hooks.afterMlp(index, mlp.forward(yn)));
            Variable parallel = hooks.parallel(index, tokensIn, yn);
            if (parallel != null) {
                o = o.add(parallel);
            }
            if (denseAdapter != null) {
                Map<Integer, Variable> previous = new LinkedHashMap<>();
                for (int j : denseAdapter.offsets) {
                    previous.put(j, adapterOutputs.atCurrentStage(index - j));
                }
                Variable da = denseAdapter.forward(tokensIn, previous);
                adapterOutputs.put(index, da);   // holds its own reference: outlives this scope
                o = o.add(adapterScale == 1.0 ? da : da.mul(adapterScale));
            }
            return o;
        });
        return hooks.afterBlock(index, out);
    }
}
