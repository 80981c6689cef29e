package org.sparsetuning.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Reverse-mode differentiation, micrograd's way: order the nodes topologically (iteratively, so deep graphs
 * cannot overflow the stack), then visit them from the output back, accumulating each node's incoming
 * gradients before it runs. A node's saved tensors and its gradient are released as soon as it has run.
 */
final class Graph {
    private Graph() {
    }

    static void backward(Variable root, Tensor gradOutput, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward() on a variable that does not require grad (no trainable input reaches it)");
        }
        // The pass holds exactly one reference to the seed and releases it once the root's node has run.
        Tensor seed;
        if (gradOutput == null) {
            if (root.data().numel() != 1) {
                throw new IllegalStateException("backward() without a gradient needs a scalar, got shape " + Arrays.toString(root.shape()));
            }
            seed = onesOutsideAnyScope(root.data());
        } else if (!Arrays.equals(gradOutput.shape(), root.shape())) {
            throw new IllegalArgumentException("gradient of shape " + Arrays.toString(gradOutput.shape()) + " for a variable of shape " + Arrays.toString(root.shape()));
        } else {
            seed = gradOutput;
            seed.storage().retain(); // the caller keeps its own reference
        }
        if (root.isLeaf()) {
            accumulateLeaf(root, seed);
            seed.storage().release();
            return;
        }
        List<Function> order = topologicalOrder(root.gradFn());
        Map<Function, Tensor> grads = new IdentityHashMap<>();
        grads.put(root.gradFn(), seed);
        for (int n = order.size() - 1; n >= 0; n--) {
            Function fn = order.get(n);
            Tensor g = grads.remove(fn);
            if (g == null) {
                continue; // no gradient reached this node
            }
            if (fn.isReleased()) {
                throw new IllegalStateException(fn.name() + ": backward through the graph a second time; pass retainGraph=true the first time");
            }
            try (TensorScope scope = TensorScope.open()) {
                Tensor[] gin = fn.backward(g);
                Variable[] in = fn.inputs();
                for (int i = 0; i < in.length; i++) {
                    if (!fn.needs(i) || gin[i] == null) {
                        continue;
                    }
                    if (!Arrays.equals(gin[i].shape(), in[i].shape())) {
                        throw new IllegalStateException(fn.name() + " returned a gradient of shape " + Arrays.toString(gin[i].shape())
                                + " for input " + i + " of shape " + Arrays.toString(in[i].shape()));
                    }
                    if (in[i].isLeaf()) {
                        accumulateLeaf(in[i], gin[i]);
                    } else {
                        accumulate(grads, in[i].gradFn(), gin[i]);
                    }
                }
            }
            g.storage().release();
            if (!retainGraph) {
                fn.releaseSaved();
            }
        }
    }

    /**
     * Ones shaped like x, owned by this pass alone. Allocated in a scope of its own so that an enclosing
     * scope does not also own it: that scope would release it a second time when it closes.
     */
    @SuppressWarnings("try")
    private static Tensor onesOutsideAnyScope(Tensor x) {
        try (TensorScope scope = TensorScope.open()) {
            Tensor ones = Ops.scalarOnesLike(x);
            ones.storage().retain();
            return ones;
        }
    }

    private static void accumulate(Map<Function, Tensor> grads, Function fn, Tensor g) {
        Tensor prev = grads.get(fn);
        Tensor sum = prev == null ? g : prev.add(g);
        sum.storage().retain();
        grads.put(fn, sum);
        if (prev != null) {
            prev.storage().release();
        }
    }

    /**
     * A leaf's gradient is kept compact: contiguous and sole user of its storage. A view (the slice of a
     * concatenation's gradient, a transposed one) is copied, so it neither pins a larger buffer for as long
     * as the gradient lives nor hands optimizers an odd layout.
     */
    private static void accumulateLeaf(Variable leaf, Tensor g) {
        Tensor prev = leaf.grad();
        if (prev != null) {
            leaf.setGrad(prev.add(g));
        } else {
            boolean compact = g.isContiguous() && g.offset() == 0 && g.storage().length() == g.numel();
            leaf.setGrad(compact ? g : g.copy());
        }
    }

    /** Every node reachable from root, each after all nodes it feeds (so reversed, outputs come first). */
    static List<Function> topologicalOrder(Function root) {
        List<Function> order = new ArrayList<>();
        Map<Function, Boolean> visited = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Function fn = (Function) top[0];
            int next = (Integer) top[1];
            Variable[] in = fn.inputs();
            if (next < in.length) {
                top[1] = next + 1;
                Variable v = in[next];
                if (v != null && fn.needs(next) && !v.isLeaf() && visited.put(v.gradFn(), Boolean.TRUE) == null) {
                    stack.push(new Object[] {v.gradFn(), 0});
                }
            } else {
                stack.pop();
                order.add(fn);
            }
        }
        return order;
    }
}
