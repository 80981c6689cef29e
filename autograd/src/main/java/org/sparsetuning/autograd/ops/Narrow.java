package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** Elements start … start+length−1 of one dimension (a view); the gradient is g placed into zeros. */
public final class Narrow extends Function {
    private final int dim;
    private final int start;
    private final int length;
    private int[] inShape;

    public Narrow(int dim, int start, int length) {
        this.dim = dim;
        this.start = start;
        this.length = length;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        return in[0].narrow(dim, start, length);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Ops.empty(g.dtype(), inShape, Backends.of(g));
        dx.narrow(dim, start, length).copyFrom(g);
        return new Tensor[] {dx};
    }
}
