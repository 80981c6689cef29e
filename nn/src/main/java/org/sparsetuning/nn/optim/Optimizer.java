package org.sparsetuning.nn.optim;

import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

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

    public final void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Variable p = params.get(i);
            if (p.grad() != null) {
                update(i, p);
            }
        }
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

    /**
     * Keeps optimizer state alive beyond the {@link org.sparsetuning.tensor.storage.TensorScope} of the step that
     * created it (training loops run each step in a scope, and state made at the first step must outlive it): the
     * extra reference is the optimizer's own.
     */
    static Tensor keep(Tensor t) {
        t.storage().retain();
        return t;
    }
}
