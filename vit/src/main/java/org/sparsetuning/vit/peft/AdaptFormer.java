package org.sparsetuning.vit.peft;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * AdaptFormer: a bottleneck beside every FFN, out = y + FFN(LN2(y)) + s·up(ReLU(down(in))), with in = y (the
 * un-normalised FFN input, {@code adaptformer_input: residual}) or LN2(y) ({@code ln2}); s = {@code adapter_scale}
 * (0.1 in AdaptFormer), d' = {@code adapter_dim}. Tensors {@code blocks.i.adaptformer.{down,up}.{weight,bias}}.
 */
public final class AdaptFormer implements MethodHooks {
    private final List<Bottleneck> adapters = new ArrayList<>();
    private final double scale;
    private final boolean normalisedInput;

    public AdaptFormer(VisionTransformer model, Generator g) {
        this.scale = model.cfg.adapterScale();
        this.normalisedInput = model.cfg.options().adaptformerInput().equals("ln2");
        for (Block blk : model.blocks) {
            adapters.add(blk.extend("adaptformer", new Bottleneck(model.cfg.embedDim(), model.cfg.adapterDim(), g)));
        }
    }

    @Override
    public Variable parallel(int block, Variable y, Variable yn) {
        return adapters.get(block).forward(normalisedInput ? yn : y).mul(scale);
    }

    @Override
    public List<Variable> ownTensors() {
        return MethodHooks.tensorsOf(adapters);
    }
}
