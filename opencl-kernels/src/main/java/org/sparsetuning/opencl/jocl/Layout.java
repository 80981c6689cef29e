package org.sparsetuning.opencl.jocl;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/**
 * The shape and per-operand strides an elementwise kernel walks, simplified and packed for it: size-1
 * dimensions are dropped, and neighbouring dimensions that every operand lays out contiguously are merged
 * (a contiguous tensor becomes one dimension), then the rest is right-aligned into the int8 vectors the kernels
 * take (common.h). At most 8 dimensions remain, far more than the engine's tensors have.
 */
final class Layout {
    static final int MAX_RANK = 8;

    final int n;
    final int rank;
    final int[] shape8;
    final int[][] strides8;
    final int[] offsets;

    private Layout(int n, int rank, int[] shape8, int[][] strides8, int[] offsets) {
        this.n = n;
        this.rank = rank;
        this.shape8 = shape8;
        this.strides8 = strides8;
        this.offsets = offsets;
    }

    /** The layout of {@code operands}, which all have {@code shape}. */
    static Layout of(int[] shape, Tensor... operands) {
        int k = operands.length;
        int[][] st = new int[k][];
        for (int o = 0; o < k; o++) {
            st[o] = operands[o].strides();
        }
        List<Integer> sizes = new ArrayList<>();
        List<int[]> strides = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            int[] s = new int[k];
            for (int o = 0; o < k; o++) {
                s[o] = st[o][d];
            }
            int last = sizes.size() - 1;
            if (last >= 0 && mergeable(strides.get(last), s, shape[d])) {
                sizes.set(last, sizes.get(last) * shape[d]);
                strides.set(last, s);
            } else {
                sizes.add(shape[d]);
                strides.add(s);
            }
        }
        if (sizes.size() > MAX_RANK) {
            throw new IllegalArgumentException("tensors of shape " + Shape.str(shape) + " keep " + sizes.size()
                    + " dimensions after merging; the OpenCL kernels handle at most " + MAX_RANK);
        }
        int rank = Math.max(sizes.size(), 1);
        int[] shape8 = new int[MAX_RANK];
        java.util.Arrays.fill(shape8, 1);
        int[][] strides8 = new int[k][MAX_RANK];
        for (int i = 0; i < sizes.size(); i++) {
            int c = MAX_RANK - sizes.size() + i;
            shape8[c] = sizes.get(i);
            for (int o = 0; o < k; o++) {
                strides8[o][c] = strides.get(i)[o];
            }
        }
        int[] offsets = new int[k];
        for (int o = 0; o < k; o++) {
            offsets[o] = operands[o].offset();
        }
        return new Layout(Shape.numel(shape), rank, shape8, strides8, offsets);
    }

    /** An outer dimension (strides outer) merges with the next (strides inner, size n) when outer = inner·n for all. */
    private static boolean mergeable(int[] outer, int[] inner, int n) {
        for (int o = 0; o < outer.length; o++) {
            if (outer[o] != inner[o] * n) {
                return false;
            }
        }
        return true;
    }

    /**
     * An unmerged right-aligned packing of a shape and strides (index kernels address single dimensions, so
     * nothing may merge).
     */
    static int[] pad8(int[] values, int fill) {
        if (values.length > MAX_RANK) {
            throw new IllegalArgumentException("rank " + values.length + " exceeds the OpenCL kernels' " + MAX_RANK);
        }
        int[] v = new int[MAX_RANK];
        java.util.Arrays.fill(v, fill);
        System.arraycopy(values, 0, v, MAX_RANK - values.length, values.length);
        return v;
    }
}
