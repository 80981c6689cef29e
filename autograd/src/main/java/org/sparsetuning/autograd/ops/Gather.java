package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** torch.gather along dim with an I32 index; the gradient scatter-adds g back (repeated indices sum). */
public final class Gather extends Function {
    private final int dim;
    private final Tensor index;
    private int[] inShape;
    private int d;

    public Gather(int dim, Tensor index) {
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        d = Shape.dim(dim, inShape.length);
        save(index);
        return Ops.gather(in[0], d, index);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor zeros = Ops.empty(g.dtype(), inShape, Backends.of(g));
        return new Tensor[] {Ops.scatterAdd(zeros, d, index, g)};
    }
}
