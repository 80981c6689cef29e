package org.sparsetuning.vit.adapter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Linear;
import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.random.Generator;

/**
 * The paper's Dense Adapter of one layer (SPEC A.3, "fuse in the bottleneck"):
 * x_DA_N = W_up·ReLU(W_down1·x_N + Σ_j W_down{j}·S(x_DA_{N−j})), biases included, one down-projection per
 * input ({@code down_x}, {@code down_prev1}, {@code down_prev3}), one ReLU after the sum, one
 * up-projection. Training init: down Kaiming-uniform, biases and {@code up} zero, so the model starts as
 * the frozen backbone.
 */
public final class DenseAdapter extends Module {
    public final Linear downX;
    public final List<Integer> offsets;
    private final List<Linear> downPrev = new ArrayList<>();
    public final Linear up;

    /**
     * @param offsets the j of each earlier-adapter input x_DA_{N−j} this layer has (only those with N−j ≥ 1)
     */
    public DenseAdapter(int dim, int bottleneck, List<Integer> offsets, Generator g) {
        this.downX = child("down_x", new Linear(dim, bottleneck, g));
        this.offsets = List.copyOf(offsets);
        for (int j : this.offsets) {
            downPrev.add(child("down_prev" + j, new Linear(dim, bottleneck, g)));
        }
        this.up = child("up", new Linear(bottleneck, dim, g));
        downX.bias.data().fill(0);
        for (Linear l : downPrev) {
            l.bias.data().fill(0);
        }
        up.zeroInit();
    }

    /**
     * @param x x_N: the layer's tokens after attention, its residual and TS (not normalised)
     * @param previous j → x_DA_{N−j}, already brought to x's token count
     */
    public Variable forward(Variable x, Map<Integer, Variable> previous) {
        Variable z = downX.forward(x);
        for (int t = 0; t < offsets.size(); t++) {
            Variable prev = previous.get(offsets.get(t));
            if (prev == null) {
                throw new IllegalStateException("Dense Adapter input x_DA_{N-" + offsets.get(t) + "} is missing");
            }
            z = z.add(downPrev.get(t).forward(prev));
        }
        return up.forward(z.relu());
    }
}
