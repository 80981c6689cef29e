package org.sparsetuning.vit.peft;

import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.random.Generator;

/**
 * up(ReLU(down(x))), biases included ({@code down.weight} [d', D], {@code up.weight} [D, d']). Training init:
 * down Kaiming-uniform with a zero bias, up zero, so the branch starts at exactly 0.
 */
public final class Bottleneck extends Module {
    public final Linear down;
    public final Linear up;

    public Bottleneck(int dim, int hidden, Generator g) {
        this.down = child("down", new Linear(dim, hidden, g));
        this.up = child("up", new Linear(hidden, dim, g));
        down.bias.data().fill(0);
        up.zeroInit();
    }

    public Variable forward(Variable x) {
        return up.forward(down.forward(x).relu());
    }
}
