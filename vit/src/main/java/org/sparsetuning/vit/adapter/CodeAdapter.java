package org.sparsetuning.vit.adapter;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.random.Generator;

/**
 * The official code's per-block "dense" adapter (SPEC A.4), a nested bottleneck with a skip:
 * <pre>
 *   u = ReLU(down1 x);  v = down2 u;  w = up1 v;  t = mix([v, w]) + u;  out = up2 t
 * </pre>
 * (h1, h2) = {@code code_adapter_dims} (the code hard-codes 64, 32). Init as the code: down1, down2, mix
 * Kaiming-uniform, up1 and up2 zero, every bias zero.
 */
public final class CodeAdapter extends Module {
    public final Linear down1;
    public final Linear down2;
    public final Linear up1;
    public final Linear mix;
    public final Linear up2;

    public CodeAdapter(int dim, int h1, int h2, Generator g) {
        this.down1 = child("down1", new Linear(dim, h1, g));
        this.down2 = child("down2", new Linear(h1, h2, g));
        this.up1 = child("up1", new Linear(h2, h1, g));
        this.mix = child("mix", new Linear(h2 + h1, h1, g));
        this.up2 = child("up2", new Linear(h1, dim, g));
        for (Linear l : new Linear[] {down1, down2, mix}) {
            l.bias.data().fill(0);
        }
        up1.zeroInit();
        up2.zeroInit();
    }

    /** x: the block's tokens after attention, its residual and TS (not normalised). */
    public Variable forward(Variable x) {
        Variable u = down1.forward(x).relu();
        Variable v = down2.forward(u);
        Variable w = up1.forward(v);
        Variable t = mix.forward(F.concat(-1, v, w)).add(u);
        return up2.forward(t);
    }
}
