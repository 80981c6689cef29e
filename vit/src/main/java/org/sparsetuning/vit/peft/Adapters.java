package org.sparsetuning.vit.peft;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * Adapter-tuning (Houlsby-style sequential bottlenecks), bottleneck d' = {@code adapter_dim} (64 by default).
 * <ul>
 *   <li>{@code adapter_placement: mlp} (default): one adapter per block on the MLP sub-layer's output,
 *       {@code blocks.i.adapter_mlp.*}. This is what SPEC C.4's count for KAdaptation's Adapter-tuning baseline
 *       gives: 12 × (768·64 + 64 + 64·768 + 768 + 2·768) = 1,208,064 at ViT-B, i.e. ONE bottleneck and one
 *       LayerNorm (2·768) per block; two bottlenecks per block would be 2,416,128.</li>
 *   <li>{@code houlsby}: Houlsby's placement, one adapter after the attention sub-layer
 *       ({@code blocks.i.adapter_attn.*}) and one after the MLP sub-layer.</li>
 * </ul>
 * Each adapter has its own LayerNorm on its input; the backbone's LayerNorms stay frozen.
 */
public final class Adapters implements MethodHooks {
    private final List<SequentialAdapter> afterAttention = new ArrayList<>();
    private final List<SequentialAdapter> afterMlp = new ArrayList<>();

    public Adapters(VisionTransformer model, Generator g) {
        boolean houlsby = model.cfg.options().adapterPlacement().equals("houlsby");
        int dim = model.cfg.embedDim();
        int hidden = model.cfg.adapterDim();
        for (Block blk : model.blocks) {
            if (houlsby) {
                afterAttention.add(blk.extend("adapter_attn", new SequentialAdapter(dim, hidden, g)));
            }
            afterMlp.add(blk.extend("adapter_mlp", new SequentialAdapter(dim, hidden, g)));
        }
    }

    @Override
    public Variable afterAttention(int block, Variable attnOut) {
        return afterAttention.isEmpty() ? attnOut : afterAttention.get(block).forward(attnOut);
    }

    @Override
    public Variable afterMlp(int block, Variable mlpOut) {
        return afterMlp.get(block).forward(mlpOut);
    }

    @Override
    public List<Variable> ownTensors() {
        return MethodHooks.tensorsOf(java.util.stream.Stream.concat(afterAttention.stream(), afterMlp.stream()).toList());
    }
}
