package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.parallel.Parallel;

/**
 * gather / scatterAdd / indexSelect / indexAdd. In a ViT they move whole token rows (an index [B, K] expanded
 * over the channel dimension with stride 0), so each kernel folds the indexed dimension into a per-element
 * offset and lets {@link Layout} find the contiguous runs: where the index is constant along the inner
 * dimension the run is a straight copy or vector add of a row. Every index is bounds-checked before use.
 */
final class GatherKernels {
    private GatherKernels() {
    }

    private static int checked(int i, int size, String op, int dim) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, " + size + ") for dimension " + dim);
        }
        return i;
    }

    /** torch's rule: index may not be larger than the indexed tensor in any dimension other than dim. */
    private static void checkShapes(String op, Tensor t, String what, int dim, Tensor index) {
        for (int d = 0; d < index.dim(); d++) {
            if (d != dim && index.size(d) > t.size(d)) {
                throw new IllegalArgumentException(op + ": index " + java.util.Arrays.toString(index.shape())
                        + " is larger than " + what + " " + java.util.Arrays.toString(t.shape()) + " in dimension " + d);
            }
        }
    }

    /** t viewed with index's shape and a zero stride along dim: the offset of element p with index 0 at dim. */
    private static Tensor alongIndex(Tensor t, int dim, Tensor index) {
        int[] st = t.strides();
        st[dim] = 0;
        return new Tensor(t.storage(), index.shape(), st, t.offset());
    }

    static void gather(Tensor x, int dim, Tensor index, Tensor out) {
        checkShapes("gather", x, "input", dim, index);
        int size = x.size(dim);
        int sdim = x.stride(dim);
        Layout l = Layout.of(index.shape(), index, alongIndex(x, dim, index), out);
        int[] is = Arrays.i32(index);
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        int si = l.innerStride(0);
        int sx = l.innerStride(1);
        int sy = l.innerStride(2);
        Segments.forEach(l, Segments.GRAIN, (row, start, len) -> {
            int io = l.rowOffset(0, row) + start * si;
            int xo = l.rowOffset(1, row) + start * sx;
            int yo = l.rowOffset(2, row) + start * sy;
            if (si == 0 && sx == 1 && sy == 1) {
                int k = checked(is[io], size, "gather", dim);
                System.arraycopy(xs, xo + k * sdim, ys, yo, len);
                return;
            }
            for (int j = 0; j < len; j++) {
                int k = checked(is[io + j * si], size, "gather", dim);
                ys[yo + j * sy] = xs[xo + j * sx + k * sdim];
            }
        });
    }

    /** Single-threaded: two index entries may name the same destination, and the adds must not race. */
    static void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        checkShapes("scatterAdd", dst, "destination", dim, index);
        checkShapes("scatterAdd", src, "source", -1, index);
        int size = dst.size(dim);
        int sdim = dst.stride(dim);
        Layout l = Layout.of(index.shape(), index, src, alongIndex(dst, dim, index));
        int[] is = Arrays.i32(index);
        float[] ss = Arrays.f32(src);
        float[] ds = Arrays.f32(dst);
        int si = l.innerStride(0);
        int sSrc = l.innerStride(1);
        int sd = l.innerStride(2);
        int inner = l.inner();
        for (int row = 0, rows = l.rows(); row < rows; row++) {
            int io = l.rowOffset(0, row);
            int so = l.rowOffset(1, row);
            int d0 = l.rowOffset(2, row);
            if (si == 0 && sSrc == 1 && sd == 1) {
                int k = checked(is[io], size, "scatterAdd", dim);
                addRow(ss, so, ds, d0 + k * sdim, inner);
                continue;
            }
            for (int j = 0; j < inner; j++) {
                int k = checked(is[io + j * si], size, "scatterAdd", dim);
                ds[d0 + j * sd + k * sdim] += ss[so + j * sSrc];
            }
        }
    }

    /** d[do..do+n) += s[so..so+n). */
    private static void addRow(float[] s, int so, float[] d, int dof, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector.fromArray(S, d, dof + i).add(FloatVector.fromArray(S, s, so + i)).intoArray(d, dof + i);
        }
        for (; i < n; i++) {
            d[dof + i] += s[so + i];
        }
    }

    private static int[] checkedIndices(Tensor index, int size, String op, int dim) {
        int n = index.size(0);
        int[] a = Arrays.i32(index);
        int[] k = new int[n];
        for (int j = 0; j < n; j++) {
            k[j] = checked(a[index.offset() + j * index.stride(0)], size, op, dim);
        }
        return k;
    }

    static void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        int[] k = checkedIndices(index, x.size(dim), "indexSelect", dim);
        int sxd = x.stride(dim);
        int syd = out.stride(dim);
        Layout l = Layout.of(Layout.without(out, dim).shape(), Layout.without(x, dim), Layout.without(out, dim));
        float[] xs = Arrays.f32(x);
        float[] ys = Arrays.f32(out);
        int sx = l.innerStride(0);
        int sy = l.innerStride(1);
        int inner = l.inner();
        Parallel.forRange(l.rows() * k.length, Math.max(1, Segments.GRAIN / Math.max(1, inner)), (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int row = t / k.length;
                int j = t % k.length;
                int xo = l.rowOffset(0, row) + k[j] * sxd;
                int yo = l.rowOffset(1, row) + j * syd;
                if (sx == 1 && sy == 1) {
                    System.arraycopy(xs, xo, ys, yo, inner);
                } else {
                    for (int i = 0; i < inner; i++) {
                        ys[yo + i * sy] = xs[xo + i * sx];
                    }
                }
            }
        });
    }

    /** Parallel over the rows of the other dimensions (disjoint in dst); indices along dim run in order. */
    static void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        int[] k = checkedIndices(index, dst.size(dim), "indexAdd", dim);
        int sdd = dst.stride(dim);
        int ssd = src.stride(dim);
        Layout l = Layout.of(Layout.without(src, dim).shape(), Layout.without(dst, dim), Layout.without(src, dim));
        float[] ds = Arrays.f32(dst);
        float[] ss = Arrays.f32(src);
        int sd = l.innerStride(0);
        int sS = l.innerStride(1);
        int inner = l.inner();
        Parallel.forRange(l.rows(), Math.max(1, Segments.GRAIN / Math.max(1, inner * Math.max(1, k.length))), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int d0 = l.rowOffset(0, row);
                int s0 = l.rowOffset(1, row);
                for (int j = 0; j < k.length; j++) {
                    int dof = d0 + k[j] * sdd;
                    int so = s0 + j * ssd;
                    if (sd == 1 && sS == 1) {
                        addRow(ss, so, ds, dof, inner);
                    } else {
                        for (int i = 0; i < inner; i++) {
                            ds[dof + i * sd] += ss[so + i * sS];
                        }
                    }
                }
            }
        });
    }
}
