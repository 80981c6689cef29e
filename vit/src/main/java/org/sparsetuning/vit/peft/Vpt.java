package org.sparsetuning.vit.peft;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Block;
import org.sparsetuning.vit.model.MethodHooks;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * VPT-deep: P = {@code vpt_tokens} learnable prompt tokens per layer, {@code blocks.i.prompt} [P, D]. Block 0's
 * input is [CLS, prompts_0, patches]; every later block replaces the previous block's prompt outputs by its own
 * prompts. The head reads the CLS token as usual. Init as in VPT: U(±√(6 / (3·patch² + D))), Xavier-uniform
 * over the patch projection's fan-in and D. Unlike the zero-initialised adapters, the prompts change the model
 * from the first step (they are extra keys for every token).
 */
public final class Vpt implements MethodHooks {
    private final List<Variable> prompts = new ArrayList<>();
    private final int tokens;

    public Vpt(VisionTransformer model, Generator g) {
        this.tokens = model.cfg.options().vptTokens();
        int dim = model.cfg.embedDim();
        int patchFanIn = model.cfg.patchFanIn();      // VPT's Xavier bound over the patch projection's fan-in
        double bound = Math.sqrt(6.0 / (patchFanIn + dim));
        for (Block blk : model.blocks) {
            prompts.add(blk.extendParameter("prompt", Init.uniform(g, -bound, bound, tokens, dim)));
        }
    }

    @Override
    public Variable beforeBlock(int block, Variable x) {
        int b = x.size(0);
        int n = x.size(1);
        int dim = x.size(2);
        Variable p = prompts.get(block).unsqueeze(0).expand(b, tokens, dim);
        int skip = block == 0 ? 1 : 1 + tokens;   // after block 0 the previous prompts sit at 1 .. P
        return F.concat(1, x.narrow(1, 0, 1), p, x.narrow(1, skip, n - skip));
    }
}
