package org.sparsetuning.nn.optim;

import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/** Updates parameters from their gradients. Parameters without a gradient (none reached them) are skipped. */
public abstract class Optimizer {
    protected final List<Variable> params;
    protected double lr;
    protected long steps;

    protected Optimizer(List<Variable> params, double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /**
     * Updates every parameter that has a gradient. Each update's temporaries are freed when it returns (on a
     * device they are pooled buffers, which the garbage collector would return far too late).
     */
    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Variable p = params.get(i);
            if (p.grad() != null) {
                try (TensorScope scope = TensorScope.open()) {
                    update(i, p);
                }
            }
        }
    }

    /** Zeros shaped like w on w's device, owned by the optimizer (no enclosing scope releases them). */
    protected static Tensor stateLike(Tensor w) {
        return TensorScope.unowned(() -> Tensor.zeros(w.device(), w.dtype(), w.shape()));
    }

    /**
     * state on w's device: itself, or a copy there when the parameter moved since (Module.to). The old tensor
     * is left to whoever else holds it (loadState's caller, say) and otherwise to the garbage collector.
     */
    protected static Tensor follow(Tensor state, Tensor w) {
        if (state.storage().device().equals(w.storage().device())) {
            return state;
        }
        return TensorScope.unowned(() -> state.to(w.device()));
    }

    /** Applies one update to parameter i (the i-th of the list given at construction). */
    protected abstract void update(int i, Variable p);

    public final void zeroGrad() {
        for (Variable p : params) {
            p.zeroGrad();
        }
    }

    public final double lr() {
        return lr;
    }

    public final void setLr(double lr) {
        this.lr = lr;
    }

    public final long steps() {
        return steps;
    }
}
