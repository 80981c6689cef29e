package org.sparsetuning.vit.adapter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * Sparse-Tuning's Dense Adapters as the paper draws them ({@code dense_mode: paper}, SPEC A.3), attached beside
 * every FFN: layer N's branch is s·x_DA_N with
 * <pre>
 *   x_DA_N = W_up·ReLU(W_down1·y_N + Σ_j W_down{j}·S(x_DA_{N−j}))      j in dense_inputs (default 1 and 3), N − j ≥ 1
 * </pre>
 * where y_N is the layer's tokens after attention, its residual and TS, and S brings an earlier output to the
 * current token count with the selections TS stored ({@link AdapterOutputs}). Later adapters read the unscaled
 * x_DA. Tensors {@code blocks.i.dense_adapter.{down_x, down_prev1, down_prev3, up}.*}.
 */
public final class DenseAdapters implements MethodHooks {
    private final List<DenseAdapter> adapters = new ArrayList<>();
    private final double scale;
    /** The largest offset j: outputs older than that are never read again. */
    private final int reach;
    private AdapterOutputs outputs;

    public DenseAdapters(VisionTransformer model, Generator g) {
        VitConfig cfg = model.cfg;
        this.scale = cfg.adapterScale();
        this.reach = cfg.denseInputs().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Block blk : model.blocks) {
            List<Integer> offsets = cfg.denseInputs().stream().filter(j -> blk.index - j >= 0).toList();
            adapters.add(blk.extend("dense_adapter", new DenseAdapter(cfg.embedDim(), cfg.adapterDim(), offsets, g)));
        }
    }

    /** Layer {@code block + 1}'s adapter. */
    public DenseAdapter adapter(int block) {
        return adapters.get(block);
    }

    @Override
    public void begin(Variable embedded, TokenTracker tokens) {
        end();
        outputs = new AdapterOutputs(tokens);
    }

    @Override
    public void end() {
        if (outputs != null) {
            outputs.close();
            outputs = null;
        }
    }

    @Override
    public Variable parallel(int block, Variable y, Variable yn) {
        DenseAdapter da = adapters.get(block);
        Map<Integer, Variable> previous = new LinkedHashMap<>();
        for (int j : da.offsets) {
            previous.put(j, outputs.atCurrentStage(block - j));
        }
        Variable out = da.forward(y, previous);
        outputs.put(block, out);   // holds its own reference: later layers read it after this block's scope closed
        return scale == 1.0 ? out : out.mul(scale);
    }

    @Override
    public Variable afterBlock(int block, Variable x) {
        outputs.forgetBefore(block + 1 - reach);
        return x;
    }

    @Override
    public List<Variable> ownTensors() {
        return MethodHooks.tensorsOf(adapters);
    }
}
