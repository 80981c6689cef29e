package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.ReduceOp;

/** Maximum over one dimension; the whole gradient goes to the first position holding the maximum. */
public final class Max extends Function {
    private final int dim;
    private final boolean keepdim;
    private int[] shape;
    private int d;
    private Tensor argmax;

    public Max(int dim, boolean keepdim) {
        this.dim = dim;
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shape = in[0].shape();
        d = Shape.dim(dim, shape.length);
        if (needsInputGrad(0)) {
            argmax = save(Ops.argmax(in[0], d, true));
        }
        return Ops.reduce(ReduceOp.MAX, in[0], d, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor zeros = Ops.empty(g.dtype(), shape, Backends.of(g));
        Tensor gk = keepdim ? g : g.unsqueeze(d);
        return new Tensor[] {Ops.scatterAdd(zeros, d, argmax, gk)};
    }
}
