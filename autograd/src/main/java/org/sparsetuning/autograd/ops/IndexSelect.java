package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;

/** Picks entries of one dimension by a 1-D I32 index; the gradient index-adds g back into zeros. */
public final class IndexSelect extends Function {
    private final int dim;
    private final Tensor index;
    private int[] inShape;

    public IndexSelect(int dim, Tensor index) {
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inShape = in[0].shape();
        save(index);
        return Ops.indexSelect(in[0], dim, index);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.indexAdd(inShape, dim, index, g)};
    }
}
