package org.sparsetuning.tensor;

import java.util.Arrays;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.DoubleStorage;
import org.sparsetuning.tensor.storage.FloatStorage;
import org.sparsetuning.tensor.storage.IntStorage;
import org.sparsetuning.tensor.storage.Storage;

/**
 * An N-dimensional view (shape, strides, offset) over a {@link Storage}. Views (reshape, permute,
 * transpose, narrow, expand, squeeze, unsqueeze) share the storage; computations are in {@link Ops} and
 * exposed here as methods for readability. Tensors carry no autograd state: that is the autograd
 * module's {@code Variable}.
 */
public final class Tensor implements AutoCloseable {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " and strides " + Shape.str(strides) + " differ in rank");
        }
        this.storage = storage;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    // ---------------------------------------------------------------- factories

    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(new FloatStorage(data), shape, Shape.contiguousStrides(shape), 0);
    }

    public static Tensor of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(new DoubleStorage(data), shape, Shape.contiguousStrides(shape), 0);
    }

    public static Tensor ofInts(int[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(new IntStorage(data), shape, Shape.contiguousStrides(shape), 0);
    }

    public static Tensor scalar(double v) {
        return of(new float[] {(float) v});
    }

    public static Tensor zeros(int... shape) {
        return zeros(DType.F32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return Ops.empty(dtype, shape, Backends.cpu());
    }

    /** Zeros of {@code dtype} allocated on {@code device} (no host array is made for a device). */
    public static Tensor zeros(Device device, DType dtype, int... shape) {
        return Ops.empty(dtype, shape, device.backend());
    }

    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    public static Tensor full(double value, int... shape) {
        Tensor t = zeros(shape);
        t.fill(value);
        return t;
    }

    /** 0, 1, …, n−1 as I32. */
    public static Tensor arange(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return ofInts(a, n);
    }

    public static Tensor randn(Generator g, int... shape) {
        return of(g.normal(Shape.numel(shape)), shape);
    }

    public static Tensor rand(Generator g, int... shape) {
        return of(g.uniform(Shape.numel(shape)), shape);
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Shape.numel(shape)) {
            throw new IllegalArgumentException(length + " values do not fill shape " + Shape.str(shape));
        }
    }

    // ---------------------------------------------------------------- metadata

    public Storage storage() {
        return storage;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public int dim() {
        return shape.length;
    }

    public int size(int d) {
        return shape[Shape.dim(d, shape.length)];
    }

    public int stride(int d) {
        return strides[Shape.dim(d, shape.length)];
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** Where the storage lives ({@link Devices#cpu()} for heap arrays). */
    public Device device() {
        return Devices.of(this);
    }

    /** True when the storage is a host (heap) array. */
    public boolean isOnCpu() {
        return "cpu".equals(storage.device());
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    /** True when the elements are laid out row-major without gaps (size-1 dimensions may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Releases this tensor's reference to its storage (and so every view's). */
    @Override
    public void close() {
        storage.release();
    }

    // ---------------------------------------------------------------- element access (slow; for tests and I/O)

    private int flatOffset(int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + idx.length + " for a tensor of shape " + Shape.str(shape));
        }
        int o = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " outside shape " + Shape.str(shape));
            }
            o += idx[i] * strides[i];
        }
        return o;
    }

    public double get(int... idx) {
        return storage.getDouble(flatOffset(idx));
    }

    public void set(double v, int... idx) {
        storage.setDouble(flatOffset(idx), v);
    }

    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() of a tensor of shape " + Shape.str(shape));
        }
        return storage.getDouble(offset);
    }

    /** The elements in row-major order as a new array (downloaded first when on a device). */
    public float[] toFloatArray() {
        Tensor c = Ops.copyOf(onHost(), DType.F32, Backends.reference());
        // The copy's storage is released with the caller's scope; its array must not be reused then.
        return ((FloatStorage) c.storage).handOver();
    }

    public double[] toDoubleArray() {
        Tensor c = Ops.copyOf(onHost(), DType.F64, Backends.reference());
        return ((DoubleStorage) c.storage).array();
    }

    public int[] toIntArray() {
        Tensor c = Ops.copyOf(onHost(), DType.I32, Backends.reference());
        return ((IntStorage) c.storage).array();
    }

    /** This tensor if it is on the CPU, else one bulk download of it (not an element-by-element read). */
    private Tensor onHost() {
        return isOnCpu() ? this : Ops.transfer(this, Devices.cpu());
    }

    // ---------------------------------------------------------------- views (no copy)

    public Tensor view(int... newShape) {
        int[] s = inferShape(newShape);
        if (!isContiguous()) {
            throw new IllegalStateException("view " + Shape.str(s) + " of a non-contiguous tensor " + Shape.str(shape) + "; use reshape");
        }
        return new Tensor(storage, s, Shape.contiguousStrides(s), offset);
    }

    /** A view when the layout allows it, otherwise a contiguous copy. */
    public Tensor reshape(int... newShape) {
        return isContiguous() ? view(newShape) : contiguous().view(newShape);
    }

    private int[] inferShape(int[] s) {
        int[] out = s.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one -1 allowed in " + Shape.str(s));
                }
                infer = i;
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            out[infer] = known == 0 ? 0 : (int) (numel() / known);
        }
        if (Shape.numel(out) != numel()) {
            throw new IllegalArgumentException("cannot reshape " + Shape.str(shape) + " into " + Shape.str(s));
        }
        return out;
    }

    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permutation " + Arrays.toString(order) + " for rank " + shape.length);
        }
        int[] s = new int[order.length];
        int[] st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shape.dim(order[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permutation " + Arrays.toString(order) + " repeats a dimension");
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new Tensor(storage, s, st, offset);
    }

    public Tensor transpose(int d0, int d1) {
        int a = Shape.dim(d0, shape.length);
        int b = Shape.dim(d1, shape.length);
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** The transpose of the last two dimensions. */
    public Tensor mT() {
        return transpose(-2, -1);
    }

    /** Elements start … start+length−1 of dimension d. */
    public Tensor narrow(int d, int start, int length) {
        int dd = Shape.dim(d, shape.length);
        if (start < 0 || length < 0 || start + length > shape[dd]) {
            throw new IndexOutOfBoundsException("narrow(" + d + ", " + start + ", " + length + ") of shape " + Shape.str(shape));
        }
        int[] s = shape.clone();
        s[dd] = length;
        return new Tensor(storage, s, strides, offset + start * strides[dd]);
    }

    /** Index i of dimension d, removing that dimension. */
    public Tensor select(int d, int i) {
        int dd = Shape.dim(d, shape.length);
        return narrow(dd, i, 1).squeeze(dd);
    }

    public Tensor squeeze(int d) {
        int dd = Shape.dim(d, shape.length);
        if (shape[dd] != 1) {
            throw new IllegalArgumentException("cannot squeeze dimension " + d + " of size " + shape[dd]);
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != dd) {
                s[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return new Tensor(storage, s, st, offset);
    }

    public Tensor unsqueeze(int d) {
        int dd = Shape.dim(d, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == dd) {
                s[i] = 1;
                st[i] = j < shape.length ? strides[j] * shape[j] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return new Tensor(storage, s, st, offset);
    }

    /** A broadcast view: size-1 (or missing leading) dimensions repeat with stride 0. */
    public Tensor expand(int... target) {
        if (target.length < shape.length) {
            throw new IllegalArgumentException("cannot expand " + Shape.str(shape) + " to " + Shape.str(target));
        }
        int lead = target.length - shape.length;
        int[] st = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                st[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (have == target[i]) {
                st[i] = strides[i - lead];
            } else if (have == 1) {
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot expand " + Shape.str(shape) + " to " + Shape.str(target));
            }
        }
        return new Tensor(storage, target, st, offset);
    }

    /** This tensor if already contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : Ops.copyOf(this, dtype(), Backends.of(this));
    }

    public Tensor copy() {
        return Ops.copyOf(this, dtype(), Backends.of(this));
    }

    public Tensor to(DType t) {
        return t == dtype() ? this : Ops.copyOf(this, t, Backends.of(this));
    }

    /**
     * This tensor on {@code device}: itself when already there, else a contiguous copy of the same dtype
     * allocated there (an upload, a download, or, between two devices, both through the host).
     */
    public Tensor to(Device device) {
        return device.name().equals(storage.device()) ? this : Ops.transfer(this, device);
    }

    // ---------------------------------------------------------------- in place

    public Tensor fill(double v) {
        storage.checkWritable();
        Backends.of(this).fill(this, v);
        return this;
    }

    /** this ← src (broadcast to this shape); src may be on another device (the copy crosses). */
    public Tensor copyFrom(Tensor src) {
        storage.checkWritable();
        Ops.copyInto(src.expand(shape), this);
        return this;
    }

    /** this += other, elementwise (other broadcast to this shape, on the same device). */
    public Tensor addInPlace(Tensor other) {
        storage.checkWritable();
        Backends.of(this, other).binary(BinaryOp.ADD, this, other.expand(shape), this);
        return this;
    }

    // ---------------------------------------------------------------- math (see Ops)

    public Tensor add(Tensor o) { return Ops.binary(BinaryOp.ADD, this, o); }
    public Tensor sub(Tensor o) { return Ops.binary(BinaryOp.SUB, this, o); }
    public Tensor mul(Tensor o) { return Ops.binary(BinaryOp.MUL, this, o); }
    public Tensor div(Tensor o) { return Ops.binary(BinaryOp.DIV, this, o); }
    public Tensor pow(Tensor o) { return Ops.binary(BinaryOp.POW, this, o); }
    public Tensor maximum(Tensor o) { return Ops.binary(BinaryOp.MAX, this, o); }
    public Tensor minimum(Tensor o) { return Ops.binary(BinaryOp.MIN, this, o); }
    public Tensor add(double s) { return Ops.binary(BinaryOp.ADD, this, Ops.scalarLike(this, s)); }
    public Tensor sub(double s) { return Ops.binary(BinaryOp.SUB, this, Ops.scalarLike(this, s)); }
    public Tensor mul(double s) { return Ops.binary(BinaryOp.MUL, this, Ops.scalarLike(this, s)); }
    public Tensor div(double s) { return Ops.binary(BinaryOp.DIV, this, Ops.scalarLike(this, s)); }
    public Tensor pow(double s) { return Ops.binary(BinaryOp.POW, this, Ops.scalarLike(this, s)); }

    public Tensor eq(Tensor o) { return Ops.binary(BinaryOp.EQ, this, o); }
    public Tensor ne(Tensor o) { return Ops.binary(BinaryOp.NE, this, o); }
    public Tensor lt(Tensor o) { return Ops.binary(BinaryOp.LT, this, o); }
    public Tensor le(Tensor o) { return Ops.binary(BinaryOp.LE, this, o); }
    public Tensor gt(Tensor o) { return Ops.binary(BinaryOp.GT, this, o); }
    public Tensor ge(Tensor o) { return Ops.binary(BinaryOp.GE, this, o); }
    public Tensor gt(double s) { return Ops.binary(BinaryOp.GT, this, Ops.scalarLike(this, s)); }
    public Tensor lt(double s) { return Ops.binary(BinaryOp.LT, this, Ops.scalarLike(this, s)); }

    public Tensor neg() { return Ops.unary(UnaryOp.NEG, this); }
    public Tensor exp() { return Ops.unary(UnaryOp.EXP, this); }
    public Tensor log() { return Ops.unary(UnaryOp.LOG, this); }
    public Tensor sqrt() { return Ops.unary(UnaryOp.SQRT, this); }
    public Tensor rsqrt() { return Ops.unary(UnaryOp.RSQRT, this); }
    public Tensor tanh() { return Ops.unary(UnaryOp.TANH, this); }
    public Tensor sigmoid() { return Ops.unary(UnaryOp.SIGMOID, this); }
    public Tensor relu() { return Ops.unary(UnaryOp.RELU, this); }
    public Tensor gelu() { return Ops.unary(UnaryOp.GELU, this); }
    public Tensor abs() { return Ops.unary(UnaryOp.ABS, this); }
    public Tensor square() { return Ops.unary(UnaryOp.SQUARE, this); }

    public Tensor sum(int dim, boolean keepdim) { return Ops.reduce(ReduceOp.SUM, this, dim, keepdim); }
    public Tensor mean(int dim, boolean keepdim) { return Ops.reduce(ReduceOp.MEAN, this, dim, keepdim); }
    public Tensor max(int dim, boolean keepdim) { return Ops.reduce(ReduceOp.MAX, this, dim, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Ops.reduce(ReduceOp.SUM, this, dims, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Ops.reduce(ReduceOp.MEAN, this, dims, keepdim); }
    public Tensor sum() { return Ops.reduceAll(ReduceOp.SUM, this); }
    public Tensor mean() { return Ops.reduceAll(ReduceOp.MEAN, this); }
    public Tensor argmax(int dim, boolean keepdim) { return Ops.argmax(this, dim, keepdim); }
    public Tensor var(int dim, boolean keepdim, int correction) { return Ops.var(this, new int[] {dim}, keepdim, correction); }

    public Tensor matmul(Tensor o) { return Ops.matmul(this, o, null, Activation.NONE); }
    public Tensor softmax() { return Ops.softmax(this, false); }
    public Tensor logSoftmax() { return Ops.softmax(this, true); }
    public Tensor where(Tensor a, Tensor b) { return Ops.where(this, a, b); }
    public Tensor maskedFill(Tensor mask, double v) { return Ops.where(mask, Ops.scalarLike(this, v), this); }
    public Tensor gather(int dim, Tensor index) { return Ops.gather(this, dim, index); }
    public Tensor indexSelect(int dim, Tensor index) { return Ops.indexSelect(this, dim, index); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.str(shape)).append(' ').append(dtype());
        if (!storage.isReleased() && numel() <= 16) {
            sb.append(' ').append(Arrays.toString(toDoubleArray()));
        }
        return sb.toString();
    }
}
