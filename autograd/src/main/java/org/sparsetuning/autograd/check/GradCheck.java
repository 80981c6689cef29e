package org.sparsetuning.autograd.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.DoubleStorage;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Compares the gradients autograd computes with central differences, in double precision (F64 tensors run
 * on the reference backend). The function's output is projected onto a fixed random tensor R, so one
 * backward pass of Σ(output·R) checks every output element at once.
 *
 * <p>Floating inputs are converted to F64, keeping a transposed or sliced layout (so the operations see the
 * same strides as the caller's tensors); broadcast (stride-0) inputs are made contiguous, since one stored
 * value would stand for several elements. I32 inputs are passed through as constants.
 *
 * <pre>{@code
 * GradCheck.assertPasses(v -> v[0].matmul(v[1]).gelu(), a, b);
 * }</pre>
 */
public final class GradCheck {
    private final double eps;
    private final double atol;
    private final double rtol;
    private final long seed;

    private GradCheck(double eps, double atol, double rtol, long seed) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
        this.seed = seed;
    }

    /** PyTorch's gradcheck defaults: eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static GradCheck defaults() {
        return new GradCheck(1e-6, 1e-5, 1e-3, 0x5EEDL);
    }

    public GradCheck eps(double e) {
        return new GradCheck(e, atol, rtol, seed);
    }

    public GradCheck tolerance(double absolute, double relative) {
        return new GradCheck(eps, absolute, relative, seed);
    }

    public GradCheck seed(long s) {
        return new GradCheck(eps, atol, rtol, s);
    }

    /** Checks f with every floating input requiring a gradient; throws AssertionError with the report on failure. */
    public static void assertPasses(Function<Variable[], Variable> f, Tensor... inputs) {
        defaults().check(f, inputs).assertPassed();
    }

    public Report check(Function<Variable[], Variable> f, Tensor... inputs) {
        boolean[] all = new boolean[inputs.length];
        Arrays.fill(all, true);
        return check(f, inputs, all);
    }

    /** Checks f; inputs with requiresGrad false are constants and must receive no gradient. */
    @SuppressWarnings("try") // the scope and grad-mode guards act by being open
    public Report check(Function<Variable[], Variable> f, Tensor[] inputs, boolean[] requiresGrad) {
        if (requiresGrad.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + requiresGrad.length + " requiresGrad flags");
        }
        Variable[] vars = new Variable[inputs.length];
        boolean[] checked = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            boolean floating = inputs[i].dtype().isFloating();
            Tensor t = floating ? toDouble(inputs[i]) : inputs[i];
            checked[i] = floating && requiresGrad[i];
            vars[i] = checked[i] ? Variable.parameter(t) : Variable.constant(t);
        }
        List<String> problems = new ArrayList<>();
        double[] projection;
        double[][] analytic = new double[inputs.length][];
        try (TensorScope scope = TensorScope.open(); GradMode.Guard on = GradMode.enabled()) {
            Variable y = f.apply(vars);
            if (y.data().dtype() != DType.F64) {
                problems.add("output is " + y.data().dtype() + ", not F64: an operation dropped to single precision");
            }
            Tensor r = Tensor.randn(new Generator(seed), y.shape()).to(DType.F64);
            projection = r.toDoubleArray();
            if (y.requiresGrad()) {
                y.backward(r, false);
            }
            for (int i = 0; i < vars.length; i++) {
                Tensor g = vars[i].grad();
                if (!checked[i]) {
                    if (g != null) {
                        problems.add("input " + i + " does not require grad but received a gradient");
                    }
                    continue;
                }
                if (g != null && !Arrays.equals(g.shape(), vars[i].shape())) {
                    problems.add("input " + i + ": gradient shape " + Arrays.toString(g.shape()) + " differs from " + Arrays.toString(vars[i].shape()));
                    g = null;
                }
                analytic[i] = g == null ? new double[vars[i].data().numel()] : g.toDoubleArray();
                vars[i].zeroGrad();
            }
        }
        List<InputReport> reports = new ArrayList<>();
        for (int i = 0; i < vars.length; i++) {
            if (checked[i]) {
                reports.add(compare(i, vars, f, projection, analytic[i]));
            }
        }
        return new Report(reports, problems);
    }

    private InputReport compare(int which, Variable[] vars, Function<Variable[], Variable> f, double[] projection, double[] analytic) {
        Tensor x = vars[which].data();
        int[] shape = x.shape();
        double maxAbs = 0;
        double maxRel = 0;
        double worstRatio = -1;
        int worst = -1;
        double[] numeric = new double[analytic.length];
        boolean pass = true;
        for (int j = 0; j < analytic.length; j++) {
            long pos = storagePosition(x, j);
            double orig = x.storage().getDouble(pos);
            x.storage().setDouble(pos, orig + eps);
            double plus = projected(f, vars, projection);
            x.storage().setDouble(pos, orig - eps);
            double minus = projected(f, vars, projection);
            x.storage().setDouble(pos, orig);
            numeric[j] = (plus - minus) / (2 * eps);
            double err = Math.abs(analytic[j] - numeric[j]);
            double allowed = atol + rtol * Math.abs(numeric[j]);
            pass &= err <= allowed; // NaN fails
            maxAbs = Math.max(maxAbs, err);
            maxRel = Math.max(maxRel, err / Math.max(Math.abs(numeric[j]), atol));
            double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / allowed;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = j;
            }
        }
        int[] worstIndex = worst < 0 ? new int[0] : unravel(worst, shape);
        return new InputReport(which, shape, maxAbs, maxRel, worstIndex,
                worst < 0 ? 0 : analytic[worst], worst < 0 ? 0 : numeric[worst], pass);
    }

    /** Σ f(inputs)·R without recording a graph; temporaries are freed at once. */
    @SuppressWarnings("try")
    private static double projected(Function<Variable[], Variable> f, Variable[] vars, double[] projection) {
        try (TensorScope scope = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
            double[] y = f.apply(vars).data().toDoubleArray();
            double s = 0;
            for (int k = 0; k < y.length; k++) {
                s += y[k] * projection[k];
            }
            return s;
        }
    }

    /** An F64 copy with t's strides where its elements do not overlap, otherwise a contiguous one. */
    static Tensor toDouble(Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        boolean overlapping = false;
        for (int d = 0; d < shape.length; d++) {
            overlapping |= strides[d] == 0 && shape[d] > 1;
        }
        if (overlapping || t.isContiguous()) {
            return Ops.copyOf(t, DType.F64, Backends.reference());
        }
        long n = t.storage().length();
        DoubleStorage s = new DoubleStorage((int) n);
        for (long k = 0; k < n; k++) {
            s.setDouble(k, t.storage().getDouble(k));
        }
        return new Tensor(s, shape, strides, t.offset());
    }

    private static long storagePosition(Tensor t, int linear) {
        int[] idx = unravel(linear, t.shape());
        long pos = t.offset();
        for (int d = 0; d < idx.length; d++) {
            pos += (long) idx[d] * t.stride(d);
        }
        return pos;
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

    /** The outcome for one input that required a gradient. */
    public record InputReport(int input, int[] shape, double maxAbsError, double maxRelError, int[] worstIndex,
                              double worstAnalytic, double worstNumeric, boolean passed) {
        @Override
        public String toString() {
            return String.format("input %d %s: %s, max abs error %.3e, max rel error %.3e, worst at %s (analytic %.9g, numeric %.9g)",
                    input, Arrays.toString(shape), passed ? "ok" : "FAILED", maxAbsError, maxRelError,
                    Arrays.toString(worstIndex), worstAnalytic, worstNumeric);
        }
    }

    /** Per-input results plus problems that concern the whole check (wrong dtype, stray gradients). */
    public record Report(List<InputReport> inputs, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty() && inputs.stream().allMatch(InputReport::passed);
        }

        public void assertPassed() {
            if (!passed()) {
                throw new AssertionError("gradient check failed:\n" + this);
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (String p : problems) {
                sb.append("  ").append(p).append('\n');
            }
            for (InputReport r : inputs) {
                sb.append("  ").append(r).append('\n');
            }
            return sb.toString();
        }
    }
}
