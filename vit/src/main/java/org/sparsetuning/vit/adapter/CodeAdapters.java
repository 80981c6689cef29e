package org.sparsetuning.vit.adapter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * Sparse-Tuning as the official code does it ({@code dense_mode: code}, SPEC A.4): a {@link CodeAdapter} beside
 * every FFN (no scale), and stage sums added after the blocks that close a stage (0-based):
 * <pre>
 *   after 2:  x += x0 + a0 + a1 + a2      (x0 = the embedding with CLS and position: re-added, as coded)
 *   after 5:  x += a3 + a4 + a5
 *   after 8:  x += a6 + a7 + a8
 *   after 11: x += a9 + a10               (a11 left out, as coded)
 * </pre>
 * Each sum stays inside one TS stage (TS at layers 4, 7, 10 runs before that block's adapter), so token counts
 * always agree and nothing is re-sparsified. Hence depth 12 and TS at 4, 7, 10 are required (VitConfig checks).
 */
public final class CodeAdapters implements MethodHooks {
    /** 0-based block → the adapters whose outputs are added after it. */
    private static final Map<Integer, int[]> STAGE_SUMS = Map.of(2, new int[] {0, 1, 2}, 5, new int[] {3, 4, 5},
            8, new int[] {6, 7, 8}, 11, new int[] {9, 10});
    private static final int EMBEDDING_READDED_AFTER = 2;

    private final List<CodeAdapter> adapters = new ArrayList<>();
    private final Map<Integer, Variable> outputs = new HashMap<>();
    private Variable embedded;

    public CodeAdapters(VisionTransformer model, Generator g) {
        int h1 = model.cfg.options().codeAdapterDims().get(0);
        int h2 = model.cfg.options().codeAdapterDims().get(1);
        for (Block blk : model.blocks) {
            adapters.add(blk.extend("code_adapter", new CodeAdapter(model.cfg.embedDim(), h1, h2, g)));
        }
    }

    @Override
    public void begin(Variable x0, TokenTracker tokens) {
        // References of their own: blocks make these inside tensor scopes, and they are read blocks later.
        release(embedded);
        outputs.values().forEach(CodeAdapters::release);
        outputs.clear();
        embedded = hold(x0);
    }

    @Override
    public Variable parallel(int block, Variable y, Variable yn) {
        Variable a = adapters.get(block).forward(y);
        release(outputs.put(block, hold(a)));
        return a;
    }

    @Override
    public Variable afterBlock(int block, Variable x) {
        int[] sum = STAGE_SUMS.get(block);
        if (sum == null) {
            return x;
        }
        if (block == EMBEDDING_READDED_AFTER) {
            x = x.add(embedded);
            release(embedded);
            embedded = null;
        }
        for (int j : sum) {
            Variable a = outputs.remove(j);
            x = x.add(a);
            release(a);
        }
        if (block == adapters.size() - 1) {
            outputs.values().forEach(CodeAdapters::release);   // a11 is never summed; the pass holds nothing past its end
            outputs.clear();
        }
        return x;
    }

    private static Variable hold(Variable v) {
        v.data().storage().retain();
        return v;
    }

    private static void release(Variable v) {
        if (v != null) {
            v.data().storage().release();
        }
    }

    @Override
    public List<Variable> ownTensors() {
        return MethodHooks.tensorsOf(adapters);
    }
}
