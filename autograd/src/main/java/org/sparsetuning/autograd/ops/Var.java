package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/**
 * Variance over some dimensions with a Bessel-style correction (0 biased, 1 unbiased). Saves x:
 * dx = g·2(x − mean)/(n − correction).
 */
public final class Var extends Function {
    private final int[] dims;
    private final boolean keepdim;
    private final int correction;
    private int[] ds;
    private Tensor x;

    public Var(int[] dims, boolean keepdim, int correction) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
        this.correction = correction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        ds = Reduced.dims(dims, in[0].dim());
        x = save(in[0]);
        return Ops.var(in[0], ds, keepdim, correction);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double n = Reduced.count(x.shape(), ds);
        Tensor centred = x.sub(x.mean(ds, true));
        return new Tensor[] {centred.mul(Reduced.keepDims(g, ds, keepdim)).mul(2.0 / (n - correction))};
    }
}
