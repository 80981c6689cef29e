package org.sparsetuning.nn.optim;

import java.util.Arrays;
import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): θ ← θ·(1 − lr·λ) − lr·m̂ / (√v̂ + ε), where m̂ and
 * v̂ are the bias-corrected first and second moments of the gradient. Each parameter's update is one
 * {@link Ops#adamw} (a single pass over the four tensors on the SIMD backend).
 */
public final class AdamW extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Tensor[] m;
    private final Tensor[] v;

    public AdamW(List<Variable> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public AdamW(List<Variable> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    @Override
    protected void update(int i, Variable p) {
        Tensor g = p.grad();
        Tensor w = p.data();
        if (m[i] == null) {
            m[i] = stateLike(w);
            v[i] = stateLike(w);
        } else {
            m[i] = follow(m[i], w);
            v[i] = follow(v[i], w);
        }
        Ops.adamw(w, g, m[i], v[i], new AdamWStep(lr, beta1, beta2, eps, weightDecay, steps));
    }

    /** The moments, for checkpoints: {m, v} of parameter i (null before its first update). */
    public Tensor[] state(int i) {
        return new Tensor[] {m[i], v[i]};
    }

    /**
     * Restores the moments and step count saved from another run. The moments are copied onto the parameter's
     * device and owned by the optimizer (no enclosing scope releases them), so the caller's tensors stay the
     * caller's; null moments mean the parameter had not been updated yet.
     */
    public void loadState(int i, Tensor mi, Tensor vi, long stepCount) {
        if ((mi == null) != (vi == null)) {
            throw new IllegalArgumentException("AdamW state of parameter " + i + ": both moments or neither");
        }
        Tensor w = params.get(i).data();
        if (mi != null && (!Arrays.equals(mi.shape(), w.shape()) || !Arrays.equals(vi.shape(), w.shape()))) {
            throw new IllegalArgumentException("AdamW state of parameter " + i + ": moments of shape "
                    + Arrays.toString(mi.shape()) + " for a parameter of shape " + Arrays.toString(w.shape()));
        }
        m[i] = mi == null ? null : TensorScope.unowned(() -> mi.to(w.dtype()).to(w.device()).copy());
        v[i] = vi == null ? null : TensorScope.unowned(() -> vi.to(w.dtype()).to(w.device()).copy());
        steps = stepCount;
    }
}
