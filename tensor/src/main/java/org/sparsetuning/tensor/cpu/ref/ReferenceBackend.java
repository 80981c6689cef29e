package org.sparsetuning.tensor.cpu.ref;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.storage.DoubleStorage;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.IntStorage;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The specification of every kernel: the plainest loops, element by element through the strides, with
 * double-precision accumulation. Single-threaded and slow by design; other backends are tested against it.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        switch (dtype) {
            case F32: return new FloatStorage(length);
            case F64: return new DoubleStorage(length);
            case I32: return new IntStorage(length);
            default: throw new AssertionError(dtype);
        }
    }

    /** F32 outputs skip the array pool's zero fill; the other types are allocated zeroed, as always. */
    @Override
    public Storage allocateForOverwrite(DType dtype, int length) {
        return dtype == DType.F32 ? FloatStorage.forOverwrite(length) : allocate(dtype, length);
    }

    private static double get(Tensor t, int linear) {
        return t.storage().getDouble(Index.at(t, linear));
    }

    private static void set(Tensor t, int linear, double v) {
        t.storage().setDouble(Index.at(t, linear), v);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        for (int i = 0, n = dst.numel(); i < n; i++) {
            set(dst, i, get(src, i));
        }
    }

    @Override
    public void fill(Tensor dst, double value) {
        for (int i = 0, n = dst.numel(); i < n; i++) {
            set(dst, i, value);
        }
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        for (int i = 0, n = out.numel(); i < n; i++) {
            set(out, i, op.apply(get(x, i)));
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        for (int i = 0, n = out.numel(); i < n; i++) {
            set(out, i, op.apply(get(a, i), get(b, i)));
        }
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        for (int i = 0, n = out.numel(); i < n; i++) {
            set(out, i, get(mask, i) != 0 ? get(a, i) : get(b, i));
        }
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        int outer = Index.outer(x, dim);
        int inner = Index.inner(x, dim);
        int len = x.size(dim);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0.0;
                for (int i = 0; i < len; i++) {
                    double v = x.storage().getDouble(Index.at(x, dim, o, i, in));
                    acc = op == ReduceOp.MAX ? (Double.isNaN(v) || v > acc ? v : acc) : acc + v;
                }
                if (op == ReduceOp.MEAN) {
                    acc /= len;
                }
                set(out, o * inner + in, acc);
            }
        }
    }

    @Override
    public void argmax(Tensor x, int dim, Tensor out) {
        int outer = Index.outer(x, dim);
        int inner = Index.inner(x, dim);
        int len = x.size(dim);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                double bestV = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < len; i++) {
                    double v = x.storage().getDouble(Index.at(x, dim, o, i, in));
                    if (v > bestV || (i == 0)) {
                        bestV = v;
                        best = i;
                    }
                }
                set(out, o * inner + in, best);
            }
        }
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor bias, Activation act, Tensor out) {
        int r = out.dim();
        int m = out.size(r - 2);
        int n = out.size(r - 1);
        int k = a.size(r - 1);
        int batches = out.numel() / Math.max(m * n, 1);
        UnaryOp f = act.asUnary();
        for (int bt = 0; bt < batches; bt++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += get(a, (bt * m + i) * k + p) * get(b, (bt * k + p) * n + j);
                    }
                    if (bias != null) {
                        acc += get(bias, j);
                    }
                    if (f != null) {
                        acc = f.apply(acc);
                    }
                    set(out, (bt * m + i) * n + j, acc);
                }
            }
        }
    }

    @Override
    public void softmax(Tensor x, boolean log, Tensor out) {
        int n = x.size(-1);
        int rows = x.numel() / Math.max(n, 1);
        for (int row = 0; row < rows; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, get(x, row * n + j));
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(get(x, row * n + j) - max);
            }
            for (int j = 0; j < n; j++) {
                double z = get(x, row * n + j) - max;
                set(out, row * n + j, log ? z - Math.log(sum) : Math.exp(z) / sum);
            }
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor dy, boolean log, Tensor dx) {
        int n = y.size(-1);
        int rows = y.numel() / Math.max(n, 1);
        for (int row = 0; row < rows; row++) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += log ? get(dy, row * n + j) : get(dy, row * n + j) * get(y, row * n + j);
            }
            for (int j = 0; j < n; j++) {
                double yj = get(y, row * n + j);
                double g = get(dy, row * n + j);
                // softmax: y·(g − Σ g·y);  log-softmax: g − exp(y)·Σ g
                set(dx, row * n + j, log ? g - Math.exp(yj) * dot : yj * (g - dot));
            }
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean, Tensor rstd) {
        int c = x.size(-1);
        int rows = x.numel() / Math.max(c, 1);
        for (int row = 0; row < rows; row++) {
            double mu = 0;
            for (int j = 0; j < c; j++) {
                mu += get(x, row * c + j);
            }
            mu /= c;
            double var = 0;
            for (int j = 0; j < c; j++) {
                double d = get(x, row * c + j) - mu;
                var += d * d;
            }
            var /= c;
            double rs = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < c; j++) {
                double v = (get(x, row * c + j) - mu) * rs;
                if (weight != null) {
                    v *= get(weight, j);
                }
                if (bias != null) {
                    v += get(bias, j);
                }
                set(out, row * c + j, v);
            }
            set(mean, row, mu);
            set(rstd, row, rs);
        }
    }

    @Override
    public void layerNormBackward(Tensor dy, Tensor x, Tensor weight, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dweight, Tensor dbias) {
        int c = x.size(-1);
        int rows = x.numel() / Math.max(c, 1);
        double[] dw = new double[c];
        double[] db = new double[c];
        for (int row = 0; row < rows; row++) {
            double mu = get(mean, row);
            double rs = get(rstd, row);
            // With xhat = (x − μ)·rstd and g = dy·w:  dx = rstd·(g − mean(g) − xhat·mean(g·xhat)).
            double sumG = 0;
            double sumGX = 0;
            for (int j = 0; j < c; j++) {
                double xhat = (get(x, row * c + j) - mu) * rs;
                double d = get(dy, row * c + j);
                double g = weight != null ? d * get(weight, j) : d;
                sumG += g;
                sumGX += g * xhat;
                dw[j] += d * xhat;
                db[j] += d;
            }
            if (dx != null) {
                for (int j = 0; j < c; j++) {
                    double xhat = (get(x, row * c + j) - mu) * rs;
                    double d = get(dy, row * c + j);
                    double g = weight != null ? d * get(weight, j) : d;
                    set(dx, row * c + j, rs * (g - sumG / c - xhat * sumGX / c));
                }
            }
        }
        for (int j = 0; j < c; j++) {
            if (dweight != null) {
                set(dweight, j, dw[j]);
            }
            if (dbias != null) {
                set(dbias, j, db[j]);
            }
        }
    }

    private static int checkedIndex(double v, int size, String op) {
        int i = (int) v;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " out of range [0, " + size + ")");
        }
        return i;
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        int[] shape = index.shape();
        for (int lin = 0, n = index.numel(); lin < n; lin++) {
            int[] idx = unravel(lin, shape);
            idx[dim] = checkedIndex(get(index, lin), x.size(dim), "gather");
            set(out, lin, x.get(idx));
        }
    }

    @Override
    public void scatterAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        int[] shape = index.shape();
        for (int lin = 0, n = index.numel(); lin < n; lin++) {
            int[] idx = unravel(lin, shape);
            double v = src.get(idx);
            idx[dim] = checkedIndex(get(index, lin), dst.size(dim), "scatterAdd");
            dst.set(dst.get(idx) + v, idx);
        }
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        int[] shape = out.shape();
        for (int lin = 0, n = out.numel(); lin < n; lin++) {
            int[] idx = unravel(lin, shape);
            idx[dim] = checkedIndex(index.get(idx[dim]), x.size(dim), "indexSelect");
            set(out, lin, x.get(idx));
        }
    }

    @Override
    public void indexAdd(Tensor dst, int dim, Tensor index, Tensor src) {
        int[] shape = src.shape();
        for (int lin = 0, n = src.numel(); lin < n; lin++) {
            int[] idx = unravel(lin, shape);
            double v = get(src, lin);
            idx[dim] = checkedIndex(index.get(idx[dim]), dst.size(dim), "indexAdd");
            dst.set(dst.get(idx) + v, idx);
        }
    }

    @Override
    public void topk(Tensor x, int k, Tensor values, Tensor indices) {
        int n = x.size(-1);
        int rows = x.numel() / Math.max(n, 1);
        for (int row = 0; row < rows; row++) {
            boolean[] taken = new boolean[n];
            for (int t = 0; t < k; t++) {
                int best = -1;
                double bestV = 0;
                for (int j = 0; j < n; j++) {
                    double v = get(x, row * n + j);
                    // Larger value wins; on a tie the lower index comes first.
                    if (!taken[j] && (best < 0 || v > bestV)) {
                        best = j;
                        bestV = v;
                    }
                }
                taken[best] = true;
                set(values, row * k + t, bestV);
                set(indices, row * k + t, best);
            }
        }
    }

    private static int[] unravel(int linear, int[] shape) {
        int[] idx = new int[shape.length];
        int rest = linear;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = rest % shape[d];
            rest /= shape[d];
        }
        return idx;
    }
}
