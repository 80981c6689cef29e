package org.sparsetuning.autograd.ops;

import java.util.Arrays;
import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/**
 * torch.scatter_add: a copy of dst with src[i] added at index[i] along dim. Inputs dst, src. The gradient of
 * dst is g; that of src is g gathered at the same positions (zero where src lies beyond the index's extent).
 */
public final class ScatterAdd extends Function {
    private final int dim;
    private final Tensor index;
    private int d;
    private int[] srcShape;

    public ScatterAdd(int dim, Tensor index) {
        this.dim = dim;
        this.index = index;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        d = Shape.dim(dim, in[0].dim());
        srcShape = in[1].shape();
        if (needsInputGrad(1)) {
            save(index);
        }
        return Ops.scatterAdd(in[0], d, index, in[1]);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor gsrc = null;
        if (needsInputGrad(1)) {
            Tensor picked = Ops.gather(g, d, index);
            if (Arrays.equals(picked.shape(), srcShape)) {
                gsrc = picked;
            } else {
                gsrc = Ops.empty(g.dtype(), srcShape, Backends.of(g));
                Tensor region = gsrc;
                for (int i = 0; i < srcShape.length; i++) {
                    region = region.narrow(i, 0, index.size(i));
                }
                region.copyFrom(picked);
            }
        }
        return new Tensor[] {needsInputGrad(0) ? g : null, gsrc};
    }
}
