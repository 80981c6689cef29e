package org.sparsetuning.vit.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Mlp;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.adapter.AdapterOutputs;
import org.sparsetuning.vit.adapter.DenseAdapter;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * A pre-norm encoder layer, with Sparse-Tuning's two additions:
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

    public Variable forward(Variable x, TokenTracker tokens, AdapterOutputs adapterOutputs) {
        int layer = index + 1;
        boolean sparsify = tokens.sparsifiesAt(layer);
        Attention.Output att = attn.forward(norm1.forward(x), sparsify);
        Variable y = x.add(att.out());
        if (sparsify) {
            y = tokens.sparsify(layer, y, att.clsScores());
        }
        Variable yFinal = y;
        Variable out = y.add(scoped(() -> mlp.forward(norm2.forward(yFinal))));
        if (denseAdapter != null) {
            Map<Integer, Variable> previous = new LinkedHashMap<>();
            for (int j : denseAdapter.offsets) {
                previous.put(j, adapterOutputs.atCurrentStage(index - j));
            }
            Variable da = denseAdapter.forward(y, previous);
            adapterOutputs.put(index, da);
            out = out.add(adapterScale == 1.0 ? da : da.mul(adapterScale));
        }
        return out;
    }
}
