package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.ReduceOp;

/** Sum over some dimensions (or all, dims = null, giving a 0-d tensor); the gradient is g repeated. */
public final class Sum extends Function {
    private final int[] dims;
    private final boolean keepdim;
    private int[] shape;
    private int[] ds;

    public Sum(int[] dims, boolean keepdim) {
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shape = in[0].shape();
        ds = Reduced.dims(dims, shape.length);
        if (dims == null) {
            Tensor all = Ops.reduceAll(ReduceOp.SUM, in[0]);
            return keepdim ? Reduced.keepDims(all, ds, false) : all;
        }
        return Ops.reduce(ReduceOp.SUM, in[0], ds, keepdim);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Reduced.spread(g, shape, ds, keepdim)};
    }
}
