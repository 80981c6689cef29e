package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.Tensor;

/**
 * The iteration space shared by several same-shaped operands, simplified: size-1 dimensions dropped and
 * neighbouring dimensions merged wherever every operand steps through them as one (contiguous tensors
 * collapse to a single dimension, a [C] bias expanded over [R, C] to two). Kernels then loop over "rows"
 * (all dimensions but the last) and vectorise along the last one when its stride is 1 or 0.
 */
final class Layout {
    /** Simplified shape, rank ≥ 1. */
    final int[] shape;
    /** strides[k][d] of operand k. */
    final int[][] strides;
    final int[] offsets;

    private Layout(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
    }

    static Layout of(int[] shape, Tensor... operands) {
        int n = operands.length;
        int[][] st = new int[n][];
        int[] off = new int[n];
        for (int k = 0; k < n; k++) {
            st[k] = operands[k].strides();
            off[k] = operands[k].offset();
        }
        int[] sh = new int[Math.max(shape.length, 1)];
        int[][] outSt = new int[n][sh.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < n && merge; k++) {
                merge = outSt[k][r - 1] == st[k][d] * shape[d];
            }
            if (merge) {
                sh[r - 1] *= shape[d];
                for (int k = 0; k < n; k++) {
                    outSt[k][r - 1] = st[k][d];
                }
            } else {
                sh[r] = shape[d];
                for (int k = 0; k < n; k++) {
                    outSt[k][r] = st[k][d];
                }
                r++;
            }
        }
        if (r == 0) {
            sh[0] = 1;
            r = 1;
        }
        int[] fs = java.util.Arrays.copyOf(sh, r);
        for (int k = 0; k < n; k++) {
            outSt[k] = java.util.Arrays.copyOf(outSt[k], r);
        }
        return new Layout(fs, outSt, off);
    }

    int rank() {
        return shape.length;
    }

    /** Length of the last (vectorised) dimension. */
    int inner() {
        return shape[shape.length - 1];
    }

    int innerStride(int operand) {
        return strides[operand][shape.length - 1];
    }

    int rows() {
        int n = 1;
        for (int d = 0; d < shape.length - 1; d++) {
            n *= shape[d];
        }
        return n;
    }

    /** Storage offset of operand k at the start of row {@code row}. */
    int rowOffset(int k, int row) {
        int off = offsets[k];
        int rest = row;
        int[] s = strides[k];
        for (int d = shape.length - 2; d >= 0; d--) {
            int i = rest % shape[d];
            rest /= shape[d];
            off += i * s[d];
        }
        return off;
    }

    int numel() {
        return rows() * inner();
    }

    /** Storage offset of operand k at element {@code linear} (row-major over the simplified shape). */
    int offsetOf(int k, int linear) {
        int inner = inner();
        return rowOffset(k, linear / inner) + (linear % inner) * innerStride(k);
    }

    /** t without dimension {@code dim}, positioned at index 0 of it (a view; nothing is read). */
    static Tensor without(Tensor t, int dim) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != dim) {
                s[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return new Tensor(t.storage(), s, st, t.offset());
    }

    /** The rows of the last dimension of same-shaped tensors: one element of this layout per row start. */
    static Layout rowsOf(Tensor... ts) {
        Tensor[] heads = new Tensor[ts.length];
        for (int k = 0; k < ts.length; k++) {
            heads[k] = without(ts[k], ts[k].dim() - 1);
        }
        return of(heads[0].shape(), heads);
    }
}
