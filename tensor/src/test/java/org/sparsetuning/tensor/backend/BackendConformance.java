package org.sparsetuning.tensor.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;
import org.sparsetuning.tensor.random.Generator;

/**
 * Checks every {@link Backend} method of a backend under test against {@link ReferenceBackend}: odd sizes
 * around the vector width (1, 3, 15, 17, 33, 197, 773), transposed, narrowed and expanded (stride 0) inputs,
 * every op of every enum. Inputs are built on the host, moved to the backend with its own {@code allocate} +
 * {@code copy}, and results are read back with {@code toFloatArray}/{@code toIntArray}, so a device backend
 * can run this suite unchanged: subclass it and return the backend.
 */
public abstract class BackendConformance {
    /** Sizes around multiples of 16 lanes, the ViT token count and a channel count off the 16 grid. */
    protected static final int[] SIZES = {1, 3, 15, 17, 33, 197, 773};

    private final ReferenceBackend ref = new ReferenceBackend();
    private final Generator gen = new Generator(20240527L);

    /** The backend under test. */
    protected abstract Backend backend();

    // ------------------------------------------------------------------ tensors on both sides

    /** A host tensor and the same values on the backend under test. */
    protected static final class Pair {
        final Tensor host;
        final Tensor dev;

        Pair(Tensor host, Tensor dev) {
            this.host = host;
            this.dev = dev;
        }

        Pair map(UnaryOperator<Tensor> view) {
            return new Pair(view.apply(host), view.apply(dev));
        }
    }

    protected Tensor toBackend(Tensor host) {
        Tensor d = new Tensor(backend().allocate(host.dtype(), host.numel()), host.shape(), Shape.contiguousStrides(host.shape()), 0);
        backend().copy(host, d);
        return d;
    }

    protected Pair pair(Tensor host) {
        return new Pair(host, toBackend(host));
    }

    protected Pair normal(double std, int... shape) {
        float[] v = gen.normal(Shape.numel(shape), 0, std);
        return pair(Tensor.of(v, shape));
    }

    protected Pair uniform(double lo, double hi, int... shape) {
        return pair(Tensor.of(gen.uniform(Shape.numel(shape), lo, hi), shape));
    }

    /** Integer-valued floats in [0, levels): many exact ties. */
    protected Pair ties(int levels, int... shape) {
        float[] v = gen.uniform(Shape.numel(shape), 0, levels);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.floor(v[i]);
        }
        return pair(Tensor.of(v, shape));
    }

    protected Pair ints(int bound, int... shape) {
        float[] u = gen.uniform(Shape.numel(shape), 0, bound);
        int[] v = new int[u.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.min(bound - 1, (int) u[i]);
        }
        return pair(Tensor.ofInts(v, shape));
    }

    /** Output tensors: one from the reference, one from the backend under test. */
    protected Pair out(DType dtype, int... shape) {
        Tensor h = new Tensor(ref.allocate(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
        Tensor d = new Tensor(backend().allocate(dtype, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
        return new Pair(h, d);
    }

    // ------------------------------------------------------------------ views

    /** Inputs of {@code shape} as: contiguous, transposed (last two dims), narrowed in two dims, expanded. */
    protected List<String> layoutNames(int[] shape) {
        List<String> names = new ArrayList<>(List.of("contiguous", "narrowed"));
        if (shape.length >= 2) {
            names.add("transposed");
        }
        if (shape.length >= 1 && shape[0] > 1) {
            names.add("expanded");
        }
        return names;
    }

    protected Pair input(String layout, int[] shape, java.util.function.Function<int[], Pair> source) {
        int r = shape.length;
        switch (layout) {
            case "contiguous":
                return source.apply(shape);
            case "transposed": {
                int[] s = shape.clone();
                s[r - 1] = shape[r - 2];
                s[r - 2] = shape[r - 1];
                return source.apply(s).map(t -> t.transpose(-1, -2));
            }
            case "narrowed": {
                if (r == 0) {
                    return source.apply(shape);
                }
                int[] s = shape.clone();
                s[r - 1] += 3;
                if (r > 1) {
                    s[0] += 1;
                }
                return source.apply(s).map(t -> {
                    Tensor v = t.narrow(-1, 2, shape[r - 1]);
                    return r > 1 ? v.narrow(0, 1, shape[0]) : v;
                });
            }
            case "expanded": {
                int[] s = shape.clone();
                s[0] = 1;
                return source.apply(s).map(t -> t.expand(shape));
            }
            default:
                throw new IllegalArgumentException(layout);
        }
    }

    // ------------------------------------------------------------------ comparison

    protected static void assertClose(float[] expected, float[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) {
                    fail(what + ": element " + i + " is " + a + ", expected " + e);
                }
                continue;
            }
            if (Float.isInfinite(e) || Float.isInfinite(a)) {
                if (e != a) {
                    fail(what + ": element " + i + " is " + a + ", expected " + e);
                }
                continue;
            }
            if (Math.abs(e - a) > atol + rtol * Math.abs(e)) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (|diff| " + Math.abs(e - a) + ")");
            }
        }
    }

    protected static void assertClose(Pair result, double rtol, double atol, String what) {
        assertClose(result.host.toFloatArray(), result.dev.toFloatArray(), rtol, atol, what);
    }

    protected static String str(int[] shape) {
        return Shape.str(shape);
    }

    private static int[][] elementwiseShapes() {
        return new int[][] {{}, {1}, {3}, {15}, {17}, {33}, {197}, {4099}, {3, 17}, {17, 3}, {5, 33}, {197, 15},
            {16, 773}, {2, 3, 17}, {3, 2, 5, 33}};
    }

    // ------------------------------------------------------------------ copy / fill

    @Test
    void copyEveryLayoutAndDtype() {
        for (int[] shape : elementwiseShapes()) {
            for (String layout : layoutNames(shape)) {
                Pair src = input(layout, shape, s -> normal(3, s));
                Pair o = out(DType.F32, shape);
                ref.copy(src.host, o.host);
                backend().copy(src.dev, o.dev);
                assertClose(o, 0, 0, "copy F32 " + layout + " " + str(shape));

                Pair oi = out(DType.I32, shape);
                ref.copy(src.host, oi.host);
                backend().copy(src.dev, oi.dev);
                assertArrayEquals(oi.host.toIntArray(), oi.dev.toIntArray(), "copy F32->I32 " + layout + " " + str(shape));

                Pair isrc = input(layout, shape, s -> ints(1000, s));
                Pair of = out(DType.F32, shape);
                ref.copy(isrc.host, of.host);
                backend().copy(isrc.dev, of.dev);
                assertClose(of, 0, 0, "copy I32->F32 " + layout + " " + str(shape));
                Pair ii = out(DType.I32, shape);
                ref.copy(isrc.host, ii.host);
                backend().copy(isrc.dev, ii.dev);
                assertArrayEquals(ii.host.toIntArray(), ii.dev.toIntArray(), "copy I32 " + layout + " " + str(shape));
            }
        }
    }

    @Test
    void copyAndFillIntoStridedDestination() {
        for (int[] shape : new int[][] {{17, 33}, {3, 197}, {5, 4, 15}}) {
            // A destination that is a transposed window of a bigger tensor: only the window may change.
            int r = shape.length;
            int[] big = shape.clone();
            big[r - 1] = shape[r - 2] + 2;
            big[r - 2] = shape[r - 1] + 1;
            UnaryOperator<Tensor> window = t -> t.narrow(-1, 1, shape[r - 2]).narrow(-2, 0, shape[r - 1]).transpose(-1, -2);
            Pair dst = normal(1, big);
            Pair src = normal(1, shape);
            ref.copy(src.host, window.apply(dst.host));
            backend().copy(src.dev, window.apply(dst.dev));
            assertClose(dst, 0, 0, "copy into transposed window " + str(shape));

            ref.fill(window.apply(dst.host), -2.5);
            backend().fill(window.apply(dst.dev), -2.5);
            assertClose(dst, 0, 0, "fill transposed window " + str(shape));

            Pair idst = ints(50, big);
            ref.fill(window.apply(idst.host), 7);
            backend().fill(window.apply(idst.dev), 7);
            assertArrayEquals(idst.host.toIntArray(), idst.dev.toIntArray(), "fill I32 window " + str(shape));
        }
        for (int n : SIZES) {
            Pair dst = out(DType.F32, n, 2);
            ref.fill(dst.host, 3.25);
            backend().fill(dst.dev, 3.25);
            assertClose(dst, 0, 0, "fill contiguous " + n);
        }
    }

    // ------------------------------------------------------------------ elementwise

    /** Inputs in the op's domain, scaled to exercise its interesting range. */
    private Pair unaryInput(UnaryOp op, int[] s) {
        switch (op) {
            case LOG:
            case SQRT:
            case RSQRT:
                return uniform(0.01, 50, s);
            case RECIPROCAL:
                return uniform(0.1, 10, s);
            case EXP:
            case TANH:
            case SIGMOID:
            case GELU:
                return normal(6, s);
            default:
                return normal(3, s);
        }
    }

    @Test
    void unaryEveryOpAndLayout() {
        for (UnaryOp op : UnaryOp.values()) {
            for (int[] shape : elementwiseShapes()) {
                for (String layout : layoutNames(shape)) {
                    Pair x = input(layout, shape, s -> unaryInput(op, s));
                    Pair o = out(DType.F32, shape);
                    ref.unary(op, x.host, o.host);
                    backend().unary(op, x.dev, o.dev);
                    assertClose(o, 2e-6, 1e-6, op + " " + layout + " " + str(shape));
                }
            }
        }
    }

    @Test
    void unaryExtremeArguments() {
        float[] v = {0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.5f, -0.5f, 0.55f, 1f, -1f, 4f, -4f, 9.9f, -9.9f, 20f, -20f,
            80f, -80f, 87f, -87f, 88.5f, -88.5f, 89f, -89f, 100f, -100f, -104f, -110f, 1e30f, -1e30f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU, UnaryOp.RELU, UnaryOp.ABS, UnaryOp.NEG}) {
            Pair x = pair(Tensor.of(v, v.length));
            Pair o = out(DType.F32, v.length);
            ref.unary(op, x.host, o.host);
            backend().unary(op, x.dev, o.dev);
            assertClose(o, 2e-6, 1e-6, op + " at extreme arguments");
        }
    }

    private Pair binaryInput(BinaryOp op, boolean second, int[] s) {
        switch (op) {
            case POW:
                return second ? uniform(-3, 3, s) : uniform(0.1, 4, s);
            case DIV:
                return second ? uniform(0.5, 4, s) : normal(3, s);
            case TANH_BACKWARD:
            case SIGMOID_BACKWARD:
                return second ? normal(1, s) : uniform(-1, 1, s);
            case EQ:
            case NE:
            case LT:
            case LE:
            case GT:
            case GE:
            case MAX:
            case MIN:
                return ties(4, s); // exact ties make the comparisons interesting
            default:
                return normal(3, s);
        }
    }

    @Test
    void binaryEveryOpLayoutAndBroadcast() {
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] shape : elementwiseShapes()) {
                for (String layout : layoutNames(shape)) {
                    Pair a = input(layout, shape, s -> binaryInput(op, false, s));
                    Pair b = input(layout.equals("transposed") ? "contiguous" : layout, shape, s -> binaryInput(op, true, s));
                    checkBinary(op, a, b, shape, layout + " with " + (layout.equals("transposed") ? "contiguous" : layout));
                }
                int r = shape.length;
                // b a scalar, b a row vector over the last dim ([C] bias over [R, C]), b a column, a a scalar.
                checkBinary(op, binaryInput(op, false, shape), binaryInput(op, true, new int[0]).map(t -> t.expand(shape)), shape, "scalar b");
                checkBinary(op, binaryInput(op, false, new int[0]).map(t -> t.expand(shape)), binaryInput(op, true, shape), shape, "scalar a");
                if (r >= 1) {
                    int[] row = {shape[r - 1]};
                    checkBinary(op, binaryInput(op, false, shape), binaryInput(op, true, row).map(t -> t.expand(shape)), shape, "row-broadcast b");
                    checkBinary(op, binaryInput(op, false, row).map(t -> t.expand(shape)), binaryInput(op, true, shape), shape, "row-broadcast a");
                }
                if (r >= 2) {
                    int[] col = shape.clone();
                    col[r - 1] = 1;
                    checkBinary(op, binaryInput(op, false, shape), binaryInput(op, true, col).map(t -> t.expand(shape)), shape, "column-broadcast b");
                }
            }
        }
    }

    private void checkBinary(BinaryOp op, Pair a, Pair b, int[] shape, String what) {
        Pair o = out(DType.F32, shape);
        ref.binary(op, a.host, b.host, o.host);
        backend().binary(op, a.dev, b.dev, o.dev);
        double rtol = op == BinaryOp.POW || op == BinaryOp.GELU_BACKWARD ? 1e-5 : 2e-6;
        assertClose(o, rtol, 1e-6, op + " " + what + " " + str(shape));
    }

    @Test
    void binaryInPlaceOnAStridedView() {
        // Tensor.addInPlace passes the same (possibly strided) tensor as input and output.
        Pair base = normal(1, 33, 17);
        Pair view = base.map(t -> t.transpose(0, 1));
        Pair other = normal(1, 17, 33);
        ref.binary(BinaryOp.ADD, view.host, other.host, view.host);
        backend().binary(BinaryOp.ADD, view.dev, other.dev, view.dev);
        assertClose(base, 1e-6, 1e-6, "in-place add on a transposed view");
    }

    @Test
    void whereWithFloatAndIntMasks() {
        for (int[] shape : elementwiseShapes()) {
            for (String layout : layoutNames(shape)) {
                Pair a = input(layout, shape, s -> normal(1, s));
                Pair b = input(layout, shape, s -> normal(1, s));
                Pair fm = input(layout, shape, s -> ties(2, s));
                Pair o = out(DType.F32, shape);
                ref.where(fm.host, a.host, b.host, o.host);
                backend().where(fm.dev, a.dev, b.dev, o.dev);
                assertClose(o, 0, 0, "where F32 mask " + layout + " " + str(shape));
                Pair im = input(layout, shape, s -> ints(2, s));
                Pair o2 = out(DType.F32, shape);
                ref.where(im.host, a.host, b.host, o2.host);
                backend().where(im.dev, a.dev, b.dev, o2.dev);
                assertClose(o2, 0, 0, "where I32 mask " + layout + " " + str(shape));
                Pair sb = normal(1).map(t -> t.expand(shape));
                Pair o3 = out(DType.F32, shape);
                ref.where(fm.host, a.host, sb.host, o3.host);
                backend().where(fm.dev, a.dev, sb.dev, o3.dev);
                assertClose(o3, 0, 0, "where with scalar b " + layout + " " + str(shape));
            }
        }
    }

    // ------------------------------------------------------------------ reductions

    private static int[][] reduceShapes() {
        return new int[][] {{1}, {17}, {197}, {5000}, {3, 17}, {33, 5}, {197, 773}, {16, 1}, {2, 3, 17}, {4, 33, 15}, {3, 1, 197}};
    }

    @Test
    void reduceEveryOpDimAndLayout() {
        for (ReduceOp op : ReduceOp.values()) {
            for (int[] shape : reduceShapes()) {
                for (String layout : layoutNames(shape)) {
                    Pair x = input(layout, shape, s -> normal(2, s));
                    for (int d = 0; d < shape.length; d++) {
                        int[] os = shape.clone();
                        os[d] = 1;
                        Pair o = out(DType.F32, os);
                        ref.reduce(op, x.host, d, o.host);
                        backend().reduce(op, x.dev, d, o.dev);
                        // Float accumulation over n terms: error grows like √n of the terms' size.
                        double atol = 1e-5 * Math.sqrt(shape[d]) * 2;
                        assertClose(o, 1e-5, atol, op + " dim " + d + " " + layout + " " + str(shape));
                    }
                }
            }
        }
    }

    @Test
    void argmaxWithTies() {
        for (int[] shape : reduceShapes()) {
            for (String layout : layoutNames(shape)) {
                Pair x = input(layout, shape, s -> ties(3, s));
                for (int d = 0; d < shape.length; d++) {
                    int[] os = shape.clone();
                    os[d] = 1;
                    Pair o = out(DType.I32, os);
                    ref.argmax(x.host, d, o.host);
                    backend().argmax(x.dev, d, o.dev);
                    assertArrayEquals(o.host.toIntArray(), o.dev.toIntArray(), "argmax dim " + d + " " + layout + " " + str(shape));
                }
            }
        }
    }

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulShapesLayoutsBiasAndActivations() {
        int[][] mkn = {{1, 1, 1}, {3, 5, 7}, {17, 33, 15}, {33, 17, 65}, {197, 64, 33}, {16, 773, 17}, {64, 48, 96}};
        for (int[] d : mkn) {
            int m = d[0];
            int k = d[1];
            int n = d[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Pair a = ta ? normal(1, k, m).map(Tensor::mT) : normal(1, m, k);
                    Pair b = tb ? normal(1, n, k).map(Tensor::mT) : normal(1, k, n);
                    for (Activation act : Activation.values()) {
                        Pair bias = act == Activation.NONE && !ta ? null : normal(1, n);
                        checkMatmul(a, b, bias, act, new int[] {m, n}, k,
                                "matmul " + m + "x" + k + "x" + n + (ta ? " aT" : "") + (tb ? " bT" : "") + " bias=" + (bias != null) + " " + act);
                    }
                }
            }
        }
    }

    @Test
    void matmulBatchedAndBroadcastBatch() {
        int m = 17;
        int k = 33;
        int n = 15;
        Pair a = normal(1, 2, 3, m, k);
        Pair b = normal(1, 2, 3, k, n);
        checkMatmul(a, b, null, Activation.NONE, new int[] {2, 3, m, n}, k, "batched matmul");
        Pair bt = normal(1, 2, 3, n, k).map(Tensor::mT);
        checkMatmul(a, bt, normal(1, n), Activation.GELU, new int[] {2, 3, m, n}, k, "batched matmul, b transposed, bias, gelu");
        Pair shared = normal(1, 1, 1, k, n).map(t -> t.expand(2, 3, k, n));
        checkMatmul(a, shared, null, Activation.RELU, new int[] {2, 3, m, n}, k, "batched matmul, b broadcast over the batch");
        Pair aShared = normal(1, 1, 3, m, k).map(t -> t.expand(2, 3, m, k));
        checkMatmul(aShared, b, null, Activation.NONE, new int[] {2, 3, m, n}, k, "batched matmul, a broadcast over the batch");
        // Attention-like: q @ kᵀ with heads, a permuted (non-contiguous batch) view.
        Pair q = normal(1, 2, 197, 3, 16).map(t -> t.permute(0, 2, 1, 3));
        Pair kt = normal(1, 2, 197, 3, 16).map(t -> t.permute(0, 2, 3, 1));
        checkMatmul(q, kt, null, Activation.NONE, new int[] {2, 3, 197, 197}, 16, "attention scores q @ k^T");
    }

    private void checkMatmul(Pair a, Pair b, Pair bias, Activation act, int[] outShape, int k, String what) {
        Pair o = out(DType.F32, outShape);
        ref.matmul(a.host, b.host, bias == null ? null : bias.host, act, o.host);
        backend().matmul(a.dev, b.dev, bias == null ? null : bias.dev, act, o.dev);
        assertClose(o, 1e-4, 2e-5 * Math.sqrt(k), what);
    }

    // ------------------------------------------------------------------ softmax

    /** The usual sizes plus whole vectors (16, 48): a row's end is a vector of its own or overlaps the last. */
    private static final int[] SOFTMAX_SIZES = {1, 3, 15, 16, 17, 33, 48, 197, 773};

    @Test
    void softmaxAndLogSoftmax() {
        for (int n : SOFTMAX_SIZES) {
            for (int[] shape : new int[][] {{n}, {5, n}, {2, 3, n}}) {
                for (String layout : layoutNames(shape)) {
                    for (double scale : new double[] {1, 30}) {
                        Pair x = input(layout, shape, s -> normal(scale, s));
                        for (boolean log : new boolean[] {false, true}) {
                            Pair o = out(DType.F32, shape);
                            ref.softmax(x.host, log, o.host);
                            backend().softmax(x.dev, log, o.dev);
                            assertClose(o, 1e-5, log ? 1e-5 * scale : 1e-7,
                                    (log ? "log-softmax " : "softmax ") + layout + " scale " + scale + " " + str(shape));
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxBackwardBothKinds() {
        for (int n : SOFTMAX_SIZES) {
            for (int[] shape : new int[][] {{n}, {7, n}, {2, 3, n}}) {
                for (boolean log : new boolean[] {false, true}) {
                    for (String layout : layoutNames(shape)) {
                        // The backward is a formula in y and dy; any y in the forward's range exercises it.
                        // Values on the scale of a real row (softmax entries ~ 1/n) keep Σ dy·y of order one.
                        double logN = Math.log(n);
                        Pair yv = input(layout, shape, s -> log ? uniform(-logN - 3, -logN + 1, s) : uniform(0, 2.0 / n, s));
                        Pair dy = input(layout, shape, s -> normal(1, s));
                        Pair dx = out(DType.F32, shape);
                        ref.softmaxBackward(yv.host, dy.host, log, dx.host);
                        backend().softmaxBackward(yv.dev, dy.dev, log, dx.dev);
                        assertClose(dx, 1e-5, 1e-6, (log ? "log-" : "") + "softmax backward " + layout + " " + str(shape));
                    }
                }
            }
        }
    }

    /** Softmax written over its own input, and its backward over dy (the fused attention works in place). */
    @Test
    void softmaxInPlace() {
        for (int n : SOFTMAX_SIZES) {
            int[] shape = {3, n};
            for (boolean log : new boolean[] {false, true}) {
                Pair x = normal(4, shape);
                Pair expected = out(DType.F32, shape);
                ref.softmax(x.host, log, expected.host);
                backend().softmax(x.dev, log, x.dev);
                assertClose(expected.host.toFloatArray(), x.dev.toFloatArray(), 1e-5, log ? 4e-5 : 1e-7,
                        (log ? "log-softmax " : "softmax ") + "in place " + str(shape));
                Pair dy = normal(1, shape);
                Pair dx = out(DType.F32, shape);
                ref.softmaxBackward(expected.host, dy.host, log, dx.host);
                backend().softmaxBackward(x.dev, dy.dev, log, dy.dev);
                assertClose(dx.host.toFloatArray(), dy.dev.toFloatArray(), 1e-5, 1e-5,
                        (log ? "log-" : "") + "softmax backward in place " + str(shape));
            }
        }
    }

    // ------------------------------------------------------------------ attention

    /**
     * Fused or composed, attention must match its definition ({@link ComposedAttention}) evaluated in double
     * precision by the reference kernels: head sizes under, at and over a vector, token counts with ragged row
     * tiles, one head and many, and scores large enough that an unstabilised softmax would overflow.
     */
    @Test
    void selfAttentionForwardAndBackward() {
        int[][] cases = {{1, 1, 1, 1}, {2, 7, 3, 5}, {1, 17, 2, 16}, {2, 13, 4, 24}, {3, 33, 1, 40}, {1, 197, 2, 64}, {2, 50, 3, 64}};
        for (int[] k : cases) {
            int b = k[0];
            int n = k[1];
            int heads = k[2];
            int d = k[3];
            int c = heads * d;
            double scale = 1 / Math.sqrt(d);
            for (double std : new double[] {1, 6}) {
                String what = "attention B=" + b + " N=" + n + " H=" + heads + " d=" + d + " std=" + std;
                Pair qkv = normal(std, b, n, 3 * c);
                Pair g = normal(1, b, n, c);
                Tensor out64 = Ops.empty(DType.F64, new int[] {b, n, c}, ref);
                ref.selfAttention(qkv.host.to(DType.F64), heads, scale, out64);
                Pair out = out(DType.F32, b, n, c);
                backend().selfAttention(qkv.dev, heads, scale, out.dev);
                // The output is a mix of v's rows (of size std): float rounding of the scores shows at std·1e-5.
                assertClose(out64.to(DType.F32).toFloatArray(), out.dev.toFloatArray(), 1e-4, 2e-5 * std, what + " forward");

                Tensor dq64 = Ops.empty(DType.F64, new int[] {b, n, 3 * c}, ref);
                ref.selfAttentionBackward(qkv.host.to(DType.F64), g.host.to(DType.F64), heads, scale, dq64);
                Pair dq = out(DType.F32, b, n, 3 * c);
                backend().selfAttentionBackward(qkv.dev, g.dev, heads, scale, dq.dev);
                // dQ and dK carry a second factor of size std (k or q), and through a sharp softmax are differences
                // of nearly equal terms.
                assertClose(dq64.to(DType.F32).toFloatArray(), dq.dev.toFloatArray(), 1e-3, 2e-5 * std * std, what + " backward");
            }
        }
    }

    // ------------------------------------------------------------------ layer norm

    @Test
    void layerNormForward() {
        for (int c : SIZES) {
            for (int[] shape : new int[][] {{c}, {5, c}, {2, 3, c}}) {
                int rows = Shape.numel(shape) / c;
                for (String layout : layoutNames(shape)) {
                    for (int variant = 0; variant < 4; variant++) {
                        // Offset data (mean 3) checks the variance is not computed by cancellation.
                        Pair x = input(layout, shape, s -> normal(2, s));
                        Pair shifted = input(layout, shape, s -> pair(Tensor.of(gen.normal(Shape.numel(s), 3, 2), s)));
                        Pair w = (variant & 1) == 0 ? null : normal(1, c);
                        Pair b = (variant & 2) == 0 ? null : normal(1, c);
                        for (Pair in : new Pair[] {x, shifted}) {
                            Pair o = out(DType.F32, shape);
                            Pair mean = out(DType.F32, rows);
                            Pair rstd = out(DType.F32, rows);
                            ref.layerNorm(in.host, w == null ? null : w.host, b == null ? null : b.host, 1e-5, o.host, mean.host, rstd.host);
                            backend().layerNorm(in.dev, w == null ? null : w.dev, b == null ? null : b.dev, 1e-5, o.dev, mean.dev, rstd.dev);
                            String what = "layerNorm " + layout + " w=" + (w != null) + " b=" + (b != null) + " " + str(shape);
                            assertClose(o, 1e-4, 1e-5, what + " out");
                            assertClose(mean, 1e-5, 1e-6, what + " mean");
                            assertClose(rstd, 1e-4, 1e-6, what + " rstd");
                        }
                    }
                }
            }
        }
    }

    @Test
    void layerNormBackwardEveryCombination() {
        for (int c : SIZES) {
            for (int[] shape : new int[][] {{c}, {37, c}, {2, 3, c}}) {
                int rows = Shape.numel(shape) / c;
                for (String layout : layoutNames(shape)) {
                    Pair x = input(layout, shape, s -> normal(2, s));
                    Pair dy = input(layout, shape, s -> normal(1, s));
                    for (boolean withWeight : new boolean[] {false, true}) {
                        Pair w = withWeight ? normal(1, c) : null;
                        Pair o = out(DType.F32, shape);
                        Pair mean = out(DType.F32, rows);
                        Pair rstd = out(DType.F32, rows);
                        ref.layerNorm(x.host, w == null ? null : w.host, null, 1e-5, o.host, mean.host, rstd.host);
                        Pair meanP = pair(mean.host);
                        Pair rstdP = pair(rstd.host);
                        for (int mask = 1; mask < 8; mask++) {
                            Pair dx = (mask & 1) != 0 ? out(DType.F32, shape) : null;
                            Pair dw = (mask & 2) != 0 ? out(DType.F32, c) : null;
                            Pair db = (mask & 4) != 0 ? out(DType.F32, c) : null;
                            ref.layerNormBackward(dy.host, x.host, w == null ? null : w.host, meanP.host, rstdP.host,
                                    dx == null ? null : dx.host, dw == null ? null : dw.host, db == null ? null : db.host);
                            backend().layerNormBackward(dy.dev, x.dev, w == null ? null : w.dev, meanP.dev, rstdP.dev,
                                    dx == null ? null : dx.dev, dw == null ? null : dw.dev, db == null ? null : db.dev);
                            String what = "layerNorm backward " + layout + " w=" + withWeight + " " + str(shape);
                            if (dx != null) {
                                // dx carries a factor rstd, which is huge for a constant (expanded) row.
                                double maxRstd = 0;
                                for (float r : rstdP.host.toFloatArray()) {
                                    maxRstd = Math.max(maxRstd, r);
                                }
                                assertClose(dx, 1e-4, 2e-5 * Math.max(1, maxRstd / 10), what + " dx");
                            }
                            double atol = 2e-5 * Math.sqrt(rows);
                            if (dw != null) {
                                assertClose(dw, 1e-4, atol, what + " dweight");
                            }
                            if (db != null) {
                                assertClose(db, 1e-4, atol, what + " dbias");
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ indexing

    @Test
    void gatherAlongEveryDim() {
        int[] xs = {4, 197, 33};
        for (int dim = 0; dim < 3; dim++) {
            int[] is = xs.clone();
            is[dim] = dim == 1 ? 137 : 5;
            final int d = dim;
            for (String layout : List.of("contiguous", "transposed", "narrowed")) {
                Pair x = input(layout, xs, s -> normal(1, s));
                Pair idx = ints(xs[d], is);
                Pair o = out(DType.F32, is);
                ref.gather(x.host, d, idx.host, o.host);
                backend().gather(x.dev, d, idx.dev, o.dev);
                assertClose(o, 0, 0, "gather dim " + d + " " + layout);
            }
        }
        // Token selection: index [B, K, 1] expanded over channels (stride 0), as Sparse-Tuning uses it.
        Pair x = normal(1, 3, 197, 773);
        Pair idx = ints(197, 3, 137, 1).map(t -> t.expand(3, 137, 773));
        Pair o = out(DType.F32, 3, 137, 773);
        ref.gather(x.host, 1, idx.host, o.host);
        backend().gather(x.dev, 1, idx.dev, o.dev);
        assertClose(o, 0, 0, "gather of token rows with an expanded index");
        Pair bad = pair(Tensor.ofInts(new int[] {0, 5, 197}, 1, 3, 1)).map(t -> t.expand(1, 3, 773));
        Pair o2 = out(DType.F32, 1, 3, 773);
        assertThrows(IndexOutOfBoundsException.class, () -> backend().gather(x.dev, 1, bad.dev, o2.dev));
        Pair neg = pair(Tensor.ofInts(new int[] {-1}, 1, 1, 1));
        Pair o3 = out(DType.F32, 1, 1, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> backend().gather(x.dev, 2, neg.dev, o3.dev));
    }

    @Test
    void scatterAddWithDuplicates() {
        int[] ds = {3, 17, 33};
        for (int dim = 0; dim < 3; dim++) {
            int[] is = ds.clone();
            is[dim] = 40; // more entries than positions: duplicates are certain
            final int d = dim;
            Pair dst = normal(1, ds);
            Pair idx = ints(ds[d], is);
            Pair src = normal(1, is);
            ref.scatterAdd(dst.host, d, idx.host, src.host);
            backend().scatterAdd(dst.dev, d, idx.dev, src.dev);
            assertClose(dst, 1e-5, 1e-5, "scatterAdd dim " + d);
        }
        Pair dst = normal(1, 2, 197, 773);
        Pair idx = ints(197, 2, 150, 1).map(t -> t.expand(2, 150, 773));
        Pair src = normal(1, 2, 150, 773);
        ref.scatterAdd(dst.host, 1, idx.host, src.host);
        backend().scatterAdd(dst.dev, 1, idx.dev, src.dev);
        assertClose(dst, 1e-5, 1e-5, "scatterAdd of token rows with an expanded index");
        Pair bad = pair(Tensor.ofInts(new int[] {197}, 1, 1, 1));
        Pair s1 = normal(1, 1, 1, 1);
        assertThrows(IndexOutOfBoundsException.class, () -> backend().scatterAdd(dst.dev, 1, bad.dev, s1.dev));
    }

    @Test
    void indexSelectAndIndexAdd() {
        for (int[] shape : new int[][] {{197}, {17, 33}, {4, 197, 15}}) {
            for (int dim = 0; dim < shape.length; dim++) {
                for (String layout : layoutNames(shape)) {
                    if (layout.equals("expanded")) {
                        continue;
                    }
                    final int d = dim;
                    int k = shape[d] + 3; // duplicates guaranteed
                    Pair x = input(layout, shape, s -> normal(1, s));
                    Pair idx = ints(shape[d], k);
                    int[] os = shape.clone();
                    os[d] = k;
                    Pair o = out(DType.F32, os);
                    ref.indexSelect(x.host, d, idx.host, o.host);
                    backend().indexSelect(x.dev, d, idx.dev, o.dev);
                    assertClose(o, 0, 0, "indexSelect dim " + d + " " + layout + " " + str(shape));

                    Pair src = input(layout, os, s -> normal(1, s));
                    Pair acc = out(DType.F32, shape);
                    ref.indexAdd(acc.host, d, idx.host, src.host);
                    backend().indexAdd(acc.dev, d, idx.dev, src.dev);
                    assertClose(acc, 1e-5, 1e-5, "indexAdd dim " + d + " " + layout + " " + str(shape));
                }
            }
        }
        Pair x = normal(1, 5, 7);
        Pair bad = pair(Tensor.ofInts(new int[] {0, 7}, 2));
        Pair o = out(DType.F32, 5, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> backend().indexSelect(x.dev, 1, bad.dev, o.dev));
        Pair acc = out(DType.F32, 5, 7);
        Pair src = normal(1, 5, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> backend().indexAdd(acc.dev, 1, bad.dev, src.dev));
    }

    // ------------------------------------------------------------------ topk

    @Test
    void topkOrderAndTies() {
        int[][] cases = {{1, 1}, {17, 1}, {17, 17}, {33, 5}, {196, 137}, {197, 138}, {773, 40}};
        for (int[] nk : cases) {
            int n = nk[0];
            int k = nk[1];
            for (int[] shape : new int[][] {{n}, {5, n}, {2, 3, n}}) {
                for (String layout : layoutNames(shape)) {
                    for (boolean withTies : new boolean[] {false, true}) {
                        Pair x = input(layout, shape, s -> withTies ? ties(5, s) : normal(1, s));
                        int[] os = shape.clone();
                        os[os.length - 1] = k;
                        Pair v = out(DType.F32, os);
                        Pair i = out(DType.I32, os);
                        ref.topk(x.host, k, v.host, i.host);
                        backend().topk(x.dev, k, v.dev, i.dev);
                        String what = "topk " + k + " of " + n + " " + layout + (withTies ? " with ties" : "") + " " + str(shape);
                        assertClose(v, 0, 0, what + " values");
                        assertArrayEquals(i.host.toIntArray(), i.dev.toIntArray(), what + " indices");
                    }
                }
            }
        }
    }
    // ------------------------------------------------------------------ AdamW

    /**
     * One AdamW update against the formula evaluated per element in double: with and without weight decay, at
     * the first step and a later one, with contiguous and transposed gradients. The moments start non-zero.
     */
    @Test
    void adamwAgainstTheFormula() {
        for (int[] shape : new int[][] {{1}, {17}, {33, 3}, {197, 15}, {16, 773}}) {
            for (String layout : shape.length == 2 ? List.of("contiguous", "transposed") : List.of("contiguous")) {
                for (double wd : new double[] {0, 0.05}) {
                    for (long t : new long[] {1, 7}) {
                        AdamWStep s = new AdamWStep(3e-3, 0.9, 0.999, 1e-8, wd, t);
                        Pair p = normal(1, shape);
                        Pair g = input(layout, shape, sh -> normal(0.1, sh));
                        Pair m = normal(0.01, shape);
                        Pair v = uniform(0, 1e-3, shape);
                        float[] p0 = p.host.toFloatArray();
                        float[] g0 = g.host.contiguous().toFloatArray();
                        float[] m0 = m.host.toFloatArray();
                        float[] v0 = v.host.toFloatArray();
                        backend().adamw(p.dev, g.dev, m.dev, v.dev, s);
                        float[] pe = new float[p0.length];
                        float[] me = new float[p0.length];
                        float[] ve = new float[p0.length];
                        for (int i = 0; i < p0.length; i++) {
                            double mi = s.beta1() * m0[i] + (1 - s.beta1()) * g0[i];
                            double vi = s.beta2() * v0[i] + (1 - s.beta2()) * (double) g0[i] * g0[i];
                            me[i] = (float) mi;
                            ve[i] = (float) vi;
                            pe[i] = (float) (p0[i] * (1 - s.lr() * wd) - s.lr() / s.c1() * mi / (Math.sqrt(vi / s.c2()) + s.eps()));
                        }
                        String what = "adamw " + layout + " " + str(shape) + " wd " + wd + " step " + t;
                        // The moments are sums that can cancel: their error is a few ulps of the terms (about
                        // 0.01 and 0.001 here), not of the result.
                        assertClose(me, m.dev.toFloatArray(), 1e-6, 1e-8, what + " first moment");
                        assertClose(ve, v.dev.toFloatArray(), 1e-6, 1e-9, what + " second moment");
                        assertClose(pe, p.dev.toFloatArray(), 1e-6, 1e-7, what + " parameter");
                    }
                }
            }
        }
    }
}
