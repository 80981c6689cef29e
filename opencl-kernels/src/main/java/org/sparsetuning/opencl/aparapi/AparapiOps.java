package org.sparsetuning.opencl.aparapi;

import java.util.Arrays;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.Storage;

/**
 * The Aparapi kernels behind a {@link Tensor} API, so tests and benchmarks can hold them against the CPU
 * backends: CPU float32 tensors in, new CPU tensors out, each call copying its operands into the kernels'
 * device arrays and the result back. Any strided input is accepted; non-contiguous ones are made contiguous
 * on the host first, except a transposed matrix operand of {@link #matmul}, which the GEMM kernel
 * reads as it is. A frozen right-hand matmul operand (a backbone weight) is uploaded once and then reused
 * from the device while its storage stays frozen.
 *
 * <p>One instance owns one {@link CheckedExecutor} and its long-lived kernels; {@link #close()} disposes
 * them. Not thread-safe.
 */
public final class AparapiOps implements AutoCloseable {
    private final CheckedExecutor executor;
    private final BroadcastBinaryOp binary;
    private final ScaleOp scale;
    private final GeluOp gelu;
    private final SoftmaxOp softmax;
    private final GemmOp gemm;
    private final GemmOp gemmTransB;

    /** On the device chosen by {@link AparapiDevice#open()}. */
    public static AparapiOps open() {
        return new AparapiOps(AparapiDevice.open());
    }

    public AparapiOps(AparapiDevice device) {
        this.executor = new CheckedExecutor(device);
        this.binary = new BroadcastBinaryOp(executor);
        this.scale = new ScaleOp(executor);
        this.gelu = new GeluOp(executor);
        this.softmax = new SoftmaxOp(executor);
        // The register-blocked kernel: 1.7-7x the one-output-per-item tile-16 kernel on PoCL at 512³ (noisy 2-core runs).
        this.gemm = new GemmOp(executor, false, GemmOp.Tiling.TILE64);
        this.gemmTransB = new GemmOp(executor, true, GemmOp.Tiling.TILE64);
    }

    public AparapiDevice device() {
        return executor.device();
    }

    CheckedExecutor executor() {
        return executor;
    }

    /** a + b; b has a's shape or a trailing part of it (a bias [C] for a [..., C] input). */
    public Tensor add(Tensor a, Tensor b) {
        return binary(BroadcastBinaryOp.Kind.ADD, a, b);
    }

    /** a ⊙ b; b has a's shape or a trailing part of it. */
    public Tensor mul(Tensor a, Tensor b) {
        return binary(BroadcastBinaryOp.Kind.MUL, a, b);
    }

    private Tensor binary(BroadcastBinaryOp.Kind kind, Tensor a, Tensor b) {
        checkTrailing(a, b);
        Tensor out = Tensor.zeros(a.shape());
        if (a.numel() == 0) {
            return out;
        }
        Tensor da = dense(a, "a");
        Tensor db = dense(b, "b");
        binary.upload(array(da), da.offset(), da.numel(), array(db), db.offset(), db.numel());
        binary.run(kind);
        binary.download(array(out), 0);
        return out;
    }

    /** x · s. */
    public Tensor scale(Tensor x, float s) {
        Tensor out = Tensor.zeros(x.shape());
        if (x.numel() == 0) {
            return out;
        }
        Tensor dx = dense(x, "x");
        scale.upload(array(dx), dx.offset(), dx.numel());
        scale.run(s);
        scale.download(array(out), 0);
        return out;
    }

    /** The exact (erf) GELU. */
    public Tensor gelu(Tensor x) {
        Tensor out = Tensor.zeros(x.shape());
        if (x.numel() == 0) {
            return out;
        }
        Tensor dx = dense(x, "x");
        gelu.upload(array(dx), dx.offset(), dx.numel());
        gelu.runForward();
        gelu.download(array(out), 0);
        return out;
    }

    /** dy · GELU'(x), x and dy of the same shape. */
    public Tensor geluBackward(Tensor x, Tensor dy) {
        sameShape(x, dy, "x", "dy");
        Tensor out = Tensor.zeros(x.shape());
        if (x.numel() == 0) {
            return out;
        }
        Tensor dx = dense(x, "x");
        Tensor ddy = dense(dy, "dy");
        gelu.upload(array(dx), dx.offset(), array(ddy), ddy.offset(), dx.numel());
        gelu.runBackward();
        gelu.download(array(out), 0);
        return out;
    }

    /** Softmax over the last dimension. */
    public Tensor softmax(Tensor x) {
        requireRank(x, 1, "x");
        Tensor out = Tensor.zeros(x.shape());
        if (x.numel() == 0) {
            return out;
        }
        int cols = x.size(x.dim() - 1);
        Tensor dx = dense(x, "x");
        softmax.uploadForward(array(dx), dx.offset(), dx.numel() / cols, cols);
        softmax.runForward();
        softmax.downloadForward(array(out), 0);
        return out;
    }

    /** The softmax gradient over the last dimension from the forward output y and the upstream gradient dy. */
    public Tensor softmaxBackward(Tensor y, Tensor dy) {
        requireRank(y, 1, "y");
        sameShape(y, dy, "y", "dy");
        Tensor out = Tensor.zeros(y.shape());
        if (y.numel() == 0) {
            return out;
        }
        int cols = y.size(y.dim() - 1);
        Tensor dyv = dense(y, "y");
        Tensor ddy = dense(dy, "dy");
        softmax.uploadBackward(array(dyv), dyv.offset(), array(ddy), ddy.offset(), dyv.numel() / cols, cols);
        softmax.runBackward();
        softmax.downloadBackward(array(out), 0);
        return out;
    }

    /**
     * a[M, K] · b[K, N]. When b is the transpose of a contiguous [N, K] matrix ({@code w.mT()}, torch's
     * Linear weight layout) the kernel reads it transposed, without a host-side transpose. Uses the
     * register-blocked {@link GemmTile64Kernel}.
     */
    public Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(0)) {
            throw new IllegalArgumentException("matmul takes a [M, K] and b [K, N], got a " + Shape.str(a.shape())
                    + " and b " + Shape.str(b.shape()));
        }
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        Tensor out = Tensor.zeros(m, n);
        if (out.numel() == 0) {
            return out;
        }
        if (k == 0) {
            return out;
        }
        checkFloatCpu(b, "b");
        // b.mT() of a contiguous [N, K]: strides (1, K) (for N or K of 1 either stride is meaningless).
        boolean transposedView = b.stride(0) == 1 && (b.stride(1) == k || n == 1) && k > 1;
        GemmOp op = transposedView ? gemmTransB : gemm;
        Tensor da = dense(a, "a");
        op.uploadA(array(da), da.offset(), m, k);
        Tensor db = transposedView ? b : dense(b, "b");
        Storage s = db.storage();
        Object key = s.isFrozen() ? new WeightKey(s, s.frozenEpoch(), db.offset(), k, n) : null;
        op.uploadB(array(db), db.offset(), k, n, key);
        op.run();
        op.download(array(out), 0);
        return out;
    }

    /** Identifies a frozen b on the device: same storage, same freeze, same window. */
    private static final class WeightKey {
        private final Storage storage;
        private final int epoch;
        private final int offset;
        private final int k;
        private final int n;

        WeightKey(Storage storage, int epoch, int offset, int k, int n) {
            this.storage = storage;
            this.epoch = epoch;
            this.offset = offset;
            this.k = k;
            this.n = n;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof WeightKey)) {
                return false;
            }
            WeightKey w = (WeightKey) o;
            return storage == w.storage && epoch == w.epoch && offset == w.offset && k == w.k && n == w.n;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(storage) * 31 + epoch * 7 + offset + k * 13 + n;
        }
    }

    /** Disposes the kernels (once). */
    @Override
    public void close() {
        executor.close();
    }

    // ---------------------------------------------------------------- host-side helpers

    /** A contiguous float32 CPU view with the same elements: t itself, or a copy made on the host. */
    private static Tensor dense(Tensor t, String name) {
        checkFloatCpu(t, name);
        return t.isContiguous() ? t : t.contiguous();
    }

    private static float[] array(Tensor t) {
        return ((FloatStorage) t.storage()).array();
    }

    private static void checkFloatCpu(Tensor t, String name) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("Aparapi kernels are float32; " + name + " is " + t.dtype());
        }
        if (!"cpu".equals(t.storage().device()) || !(t.storage() instanceof FloatStorage)) {
            throw new IllegalArgumentException("AparapiOps takes CPU tensors; " + name + " lives on " + t.storage().device());
        }
    }

    private static void checkTrailing(Tensor a, Tensor b) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean ok = bs.length <= as.length
                && Arrays.equals(bs, Arrays.copyOfRange(as, as.length - bs.length, as.length));
        if (!ok) {
            throw new IllegalArgumentException("b " + Shape.str(bs) + " must equal a " + Shape.str(as)
                    + " or its trailing dimensions (a row broadcast over the leading ones)");
        }
    }

    private static void sameShape(Tensor a, Tensor b, String an, String bn) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException(an + " " + Shape.str(a.shape()) + " and " + bn + " " + Shape.str(b.shape())
                    + " must have the same shape");
        }
    }

    private static void requireRank(Tensor t, int min, String name) {
        if (t.dim() < min) {
            throw new IllegalArgumentException(name + " needs at least " + min + " dimension(s), got " + Shape.str(t.shape()));
        }
    }
}
