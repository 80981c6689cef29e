package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;

/**
 * Layer norm over the last dimension (biased variance), inputs x [..., C], weight [C] or null, bias [C] or
 * null. Saves x with the per-row mean and 1/σ when x or the weight needs a gradient, and the weight only
 * when x does; a bias-only gradient (Σ g over rows) needs nothing saved.
 */
public final class LayerNorm extends Function {
    private final double eps;
    private int channels;
    private boolean hasWeight;
    private boolean hasBias;
    private Tensor x;
    private Tensor weight;
    private Tensor mean;
    private Tensor rstd;

    public LayerNorm(double eps) {
        this.eps = eps;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor input = in[0];
        Tensor w = in.length > 1 ? in[1] : null;
        Tensor b = in.length > 2 ? in[2] : null;
        channels = input.size(-1);
        hasWeight = w != null;
        hasBias = b != null;
        checkAffine(w, "weight");
        checkAffine(b, "bias");
        Backend be = Backends.of(input);
        int[] rows = {input.numel() / Math.max(channels, 1)};
        Tensor out = Ops.emptyForOverwrite(input.dtype(), input.shape(), be);
        Tensor mu = Ops.empty(input.dtype(), rows, be);
        Tensor rs = Ops.empty(input.dtype(), rows, be);
        Ops.layerNorm(input, w, b, eps, out, mu, rs);
        if (needsInputGrad(0) || weightGrad()) {
            x = save(input);
            mean = save(mu);
            rstd = save(rs);
        }
        if (needsInputGrad(0)) {
            weight = save(w);
        }
        return out;
    }

    /** Whether a weight was passed and needs a gradient (apply may be called with x alone). */
    private boolean weightGrad() {
        return hasWeight && needsInputGrad(1);
    }

    private void checkAffine(Tensor t, String what) {
        if (t != null && (t.dim() != 1 || t.size(0) != channels)) {
            throw new IllegalArgumentException("layerNorm: " + what + " must be [" + channels + "], got " + Shape.str(t.shape()));
        }
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Backend be = Backends.of(g);
        int[] c = {channels};
        Tensor dx = needsInputGrad(0) ? Ops.emptyForOverwrite(g.dtype(), g.shape(), be) : null;
        Tensor dw = weightGrad() ? Ops.empty(g.dtype(), c, be) : null;
        Tensor db = null;
        if (dx != null || dw != null) {
            db = hasBias && needsInputGrad(2) ? Ops.empty(g.dtype(), c, be) : null;
            be.layerNormBackward(g, x, weight, mean, rstd, dx, dw, db);
        } else if (hasBias && needsInputGrad(2)) {
            db = Ops.sumToShape(g, c).reshape(c);
        }
        return new Tensor[] {dx, dw, db};
    }
}
