package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Joins tensors along an existing dimension; each input's gradient is its slice of g (a view). */
public final class Concat extends Function {
    private final int dim;
    private int d;
    private int[] sizes;

    public Concat(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        if (in.length == 0) {
            throw new IllegalArgumentException("concat of nothing");
        }
        d = Shape.dim(dim, in[0].dim());
        sizes = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            sizes[i] = in[i].size(d);
        }
        return Ops.concat(in, d);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) {
            out[i] = needsInputGrad(i) ? g.narrow(d, at, sizes[i]) : null;
        }
        return out;
    }
}
