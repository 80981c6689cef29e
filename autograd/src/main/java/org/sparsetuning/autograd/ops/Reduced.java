package org.sparsetuning.autograd.ops;

import java.util.Arrays;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/** Shape bookkeeping shared by the reductions: which dimensions, and how to spread a gradient back. */
final class Reduced {
    private Reduced() {
    }

    /** The dimensions, normalised and sorted; null means every dimension. */
    static int[] dims(int[] dims, int rank) {
        if (dims == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] ds = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            ds[i] = Shape.dim(dims[i], rank);
        }
        Arrays.sort(ds);
        return ds;
    }

    /** Number of elements folded into each output element. */
    static long count(int[] shape, int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= shape[d];
        }
        return n;
    }

    /** Re-inserts the reduced dimensions of g as size 1 (when they were dropped), giving rank shape.length. */
    static Tensor keepDims(Tensor g, int[] dims, boolean keepdim) {
        Tensor r = g;
        if (!keepdim) {
            for (int d : dims) {
                r = r.unsqueeze(d);
            }
        }
        return r;
    }

    /** The gradient of a broadcasting reduction: g repeated over the reduced dimensions, materialised. */
    static Tensor spread(Tensor g, int[] shape, int[] dims, boolean keepdim) {
        return keepDims(g, dims, keepdim).expand(shape).contiguous();
    }
}
