package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.ReduceOp;

/** Mean over some dimensions (or all, dims = null); the gradient is g / n repeated. */
public final class Mean extends Function {
    private final int[] dims;
    private final boolean keepdim;
    private int[] shape;
    private int[] ds;

    public Mean(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shape = in[0].shape();
        ds = Reduced.dims(dims, shape.length);
        if (dims == null) {
            Tensor all = Ops.reduceAll(ReduceOp.MEAN, in[0]);
            return keepdim ? Reduced.keepDims(all, ds, false) : all;
        }
        return Ops.reduce(ReduceOp.MEAN, in[0], ds, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        double n = Reduced.count(shape, ds);
        return new Tensor[] {Reduced.spread(g.mul(1.0 / n), shape, ds, keepdim)};
    }
}
