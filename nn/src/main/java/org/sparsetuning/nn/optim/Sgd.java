package org.sparsetuning.nn.optim;

import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;

/** SGD with momentum and (coupled, L2) weight decay, as torch.optim.SGD: b ← μ·b + (g + λθ); θ ← θ − lr·b. */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final Tensor[] buf;

    public Sgd(List<Variable> params, double lr, double momentum, double weightDecay) {
        super(params, lr);
        if (momentum < 0) {
            throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.buf = new Tensor[this.params.size()];
    }

    @Override
    protected void update(int i, Variable p) {
        Tensor w = p.data();
        Tensor d = weightDecay != 0 ? p.grad().add(w.mul(weightDecay)) : p.grad();
        if (momentum != 0) {
            if (buf[i] == null) {
                buf[i] = stateLike(w);
                buf[i].copyFrom(d);
            } else {
                buf[i] = follow(buf[i], w);
                buf[i].copyFrom(buf[i].mul(momentum).add(d));
            }
            d = buf[i];
        }
        w.copyFrom(w.sub(d.mul(lr)));
    }
}
