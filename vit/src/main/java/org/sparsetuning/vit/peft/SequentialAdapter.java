package org.sparsetuning.vit.peft;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.LayerNorm;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.random.Generator;

/**
 * A sequential bottleneck adapter on a sub-layer's output h: h + up(ReLU(down(LN(h)))), with its own LayerNorm
 * ({@code norm}, eps 1e-6). Training init as {@link Bottleneck}: up zero, so it starts as the identity. Per
 * adapter 2·D·d' + d' + D + 2·D parameters (ViT-B, d' = 64: 100,672).
 */
public final class SequentialAdapter extends Module {
    public final LayerNorm norm;
    public final Linear down;
    public final Linear up;

    public SequentialAdapter(int dim, int hidden, Generator g) {
        this.norm = child("norm", new LayerNorm(dim, 1e-6));
        this.down = child("down", new Linear(dim, hidden, g));
        this.up = child("up", new Linear(hidden, dim, g));
        down.bias.data().fill(0);
        up.zeroInit();
    }

    public Variable forward(Variable h) {
        return h.add(up.forward(down.forward(norm.forward(h)).relu()));
    }
}
