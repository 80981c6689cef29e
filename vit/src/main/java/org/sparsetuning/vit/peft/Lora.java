package org.sparsetuning.vit.peft;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.QvDelta;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * LoRA on the q and v projections of every attention layer: q += (α/r)·LN1(x)·A_qᵀ·B_qᵀ, v likewise, added before
 * the heads are split and before q is scaled; no dropout, no bias. Tensors {@code blocks.i.attn.lora_{q,v}.{A,B}}.
 */
public final class Lora implements MethodHooks {
    private final List<LowRank> q = new ArrayList<>();
    private final List<LowRank> v = new ArrayList<>();
    private final double scaling;

    public Lora(VisionTransformer model, Generator g) {
        int rank = model.cfg.options().loraRank();
        this.scaling = model.cfg.options().loraAlpha() / rank;
        for (Block blk : model.blocks) {
            q.add(blk.attn.extend("lora_q", new LowRank(model.cfg.embedDim(), rank, g)));
            v.add(blk.attn.extend("lora_v", new LowRank(model.cfg.embedDim(), rank, g)));
        }
    }

    @Override
    public QvDelta attentionDeltas(int block, Variable xn) {
        return new QvDelta(q.get(block).forward(xn).mul(scaling), v.get(block).forward(xn).mul(scaling), false);
    }

    @Override
    public List<Variable> ownTensors() {
        return MethodHooks.tensorsOf(java.util.stream.Stream.concat(q.stream(), v.stream()).toList());
    }
}
