package org.sparsetuning.tensor.cpu.ref;

import org.sparsetuning.tensor.Tensor;

/** Maps a row-major element number of a tensor's shape to its storage position, through the strides. */
final class Index {
    private Index() {
    }

    static int at(Tensor t, int linear) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int off = t.offset();
        int rest = linear;
        for (int d = shape.length - 1; d >= 0; d--) {
            int i = rest % shape[d];
            rest /= shape[d];
            off += i * strides[d];
        }
        return off;
    }

    /** Storage position of element (outer, i, inner) when the shape is read as [outer, size(dim), inner]. */
    static int at(Tensor t, int dim, int outer, int i, int inner) {
        int[] shape = t.shape();
        int innerSize = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            innerSize *= shape[d];
        }
        return at(t, (outer * shape[dim] + i) * innerSize + inner);
    }

    static int outer(Tensor t, int dim) {
        int n = 1;
        for (int d = 0; d < dim; d++) {
            n *= t.size(d);
        }
        return n;
    }

    static int inner(Tensor t, int dim) {
        int n = 1;
        for (int d = dim + 1; d < t.dim(); d++) {
            n *= t.size(d);
        }
        return n;
    }
}
