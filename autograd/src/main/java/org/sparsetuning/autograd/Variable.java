package org.sparsetuning.autograd;

import org.sparsetuning.autograd.ops.Add;
import org.sparsetuning.autograd.ops.AddScalar;
import org.sparsetuning.autograd.ops.Contiguous;
import org.sparsetuning.autograd.ops.Div;
import org.sparsetuning.autograd.ops.Exp;
import org.sparsetuning.autograd.ops.Expand;
import org.sparsetuning.autograd.ops.Gather;
import org.sparsetuning.autograd.ops.Gelu;
import org.sparsetuning.autograd.ops.IndexSelect;
import org.sparsetuning.autograd.ops.Log;
import org.sparsetuning.autograd.ops.LogSoftmax;
import org.sparsetuning.autograd.ops.MaskedFill;
import org.sparsetuning.autograd.ops.MatMul;
import org.sparsetuning.autograd.ops.Max;
import org.sparsetuning.autograd.ops.Mean;
import org.sparsetuning.autograd.ops.Mul;
import org.sparsetuning.autograd.ops.MulScalar;
import org.sparsetuning.autograd.ops.Narrow;
import org.sparsetuning.autograd.ops.Neg;
import org.sparsetuning.autograd.ops.Permute;
import org.sparsetuning.autograd.ops.Pow;
import org.sparsetuning.autograd.ops.PowScalar;
import org.sparsetuning.autograd.ops.Relu;
import org.sparsetuning.autograd.ops.Reshape;
import org.sparsetuning.autograd.ops.Rsqrt;
import org.sparsetuning.autograd.ops.Select;
import org.sparsetuning.autograd.ops.Sigmoid;
import org.sparsetuning.autograd.ops.Softmax;
import org.sparsetuning.autograd.ops.Sqrt;
import org.sparsetuning.autograd.ops.Squeeze;
import org.sparsetuning.autograd.ops.Sub;
import org.sparsetuning.autograd.ops.Sum;
import org.sparsetuning.autograd.ops.Tanh;
import org.sparsetuning.autograd.ops.Transpose;
import org.sparsetuning.autograd.ops.Unsqueeze;
import org.sparsetuning.autograd.ops.Var;
import org.sparsetuning.autograd.ops.View;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * A tensor in the autograd graph: its data, whether it needs a gradient, the {@link Function} that made it
 * (null for leaves), and, for leaves, the accumulated gradient after {@link #backward()}.
 *
 * <p>Gradients handed out by {@link #grad()} may share storage with other gradients of the same pass;
 * treat them as read-only.
 */
public final class Variable {
    private Tensor data; // replaced only by moveTo, on leaves
    private final Function gradFn;
    private boolean requiresGrad;
    private Tensor grad;
    private String name;

    private Variable(Tensor data, Function gradFn, boolean requiresGrad) {
        this.data = data;
        this.gradFn = gradFn;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that needs a gradient (a trainable parameter, or an input under test). */
    public static Variable parameter(Tensor data) {
        return new Variable(data, null, true);
    }

    /** A leaf that needs no gradient (inputs, frozen weights). */
    public static Variable constant(Tensor data) {
        return new Variable(data, null, false);
    }

    static Variable fromFunction(Tensor data, Function fn) {
        return new Variable(data, fn, true);
    }

    public Tensor data() {
        return data;
    }

    public Function gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Freezes or unfreezes a leaf. */
    public Variable requiresGrad(boolean on) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad can only be set on a leaf; use detach()");
        }
        this.requiresGrad = on;
        return this;
    }

    public Tensor grad() {
        return grad;
    }

    /**
     * Moves this leaf to {@code device} in place: its data, and its gradient if it has one, are replaced by
     * copies there; requiresGrad, the name and the storage's frozen flag are kept. Nothing is released: a
     * caller still holding the old tensor keeps a valid one, and its memory goes when the last holder drops it.
     * Only leaves move (module parameters, inputs): a variable computed by an operation belongs to a graph
     * recorded on its inputs' device.
     */
    public Variable moveTo(Device device) {
        if (gradFn != null) {
            throw new IllegalStateException("only a leaf variable can move to another device; " + this + " was computed by " + gradFn.name());
        }
        if (data.storage().device().equals(device.name())) {
            return this;
        }
        boolean frozen = data.storage().isFrozen();
        Tensor from = data;
        Tensor moved = TensorScope.unowned(() -> from.to(device));
        moved.storage().setFrozen(frozen);
        data = moved;
        if (grad != null) {
            Tensor g = grad;
            Tensor movedGrad = TensorScope.unowned(() -> g.to(device));
            setGrad(movedGrad);
            movedGrad.storage().release(); // setGrad took its own reference
        }
        return this;
    }

    /** Replaces the gradient (the optimizer and gradient accumulation use this); releases the old one. */
    public void setGrad(Tensor g) {
        if (g != null) {
            g.storage().retain();
        }
        if (grad != null) {
            grad.storage().release();
        }
        grad = g;
    }

    public void zeroGrad() {
        setGrad(null);
    }

    public String name() {
        return name;
    }

    public Variable name(String n) {
        this.name = n;
        return this;
    }

    /** Same data, cut from the graph. */
    public Variable detach() {
        return constant(data);
    }

    public int[] shape() {
        return data.shape();
    }

    public int size(int d) {
        return data.size(d);
    }

    public int dim() {
        return data.dim();
    }

    // ---------------------------------------------------------------- differentiable operations (see F)

    public Variable add(Variable o) { return new Add().apply(this, o); }
    public Variable sub(Variable o) { return new Sub().apply(this, o); }
    public Variable mul(Variable o) { return new Mul().apply(this, o); }
    public Variable div(Variable o) { return new Div().apply(this, o); }
    public Variable pow(Variable exponent) { return new Pow().apply(this, exponent); }
    public Variable add(double s) { return new AddScalar(s).apply(this); }
    public Variable sub(double s) { return new AddScalar(-s).apply(this); }
    public Variable mul(double s) { return new MulScalar(s).apply(this); }
    public Variable div(double s) { return new MulScalar(1.0 / s).apply(this); }
    public Variable pow(double exponent) { return new PowScalar(exponent).apply(this); }
    public Variable square() { return new PowScalar(2.0).apply(this); }
    public Variable neg() { return new Neg().apply(this); }
    public Variable exp() { return new Exp().apply(this); }
    public Variable log() { return new Log().apply(this); }
    public Variable sqrt() { return new Sqrt().apply(this); }
    public Variable rsqrt() { return new Rsqrt().apply(this); }
    public Variable tanh() { return new Tanh().apply(this); }
    public Variable sigmoid() { return new Sigmoid().apply(this); }
    public Variable relu() { return new Relu().apply(this); }
    public Variable gelu() { return new Gelu().apply(this); }

    /** Sum of every element, as a 0-d variable. */
    public Variable sum() { return new Sum(null, false).apply(this); }
    public Variable sum(int dim, boolean keepdim) { return new Sum(new int[] {dim}, keepdim).apply(this); }
    public Variable sum(int[] dims, boolean keepdim) { return new Sum(dims, keepdim).apply(this); }
    public Variable mean() { return new Mean(null, false).apply(this); }
    public Variable mean(int dim, boolean keepdim) { return new Mean(new int[] {dim}, keepdim).apply(this); }
    public Variable mean(int[] dims, boolean keepdim) { return new Mean(dims, keepdim).apply(this); }
    /** Maximum over dim; the gradient goes to the first maximal element. */
    public Variable max(int dim, boolean keepdim) { return new Max(dim, keepdim).apply(this); }
    /** Variance over dims with a Bessel-style correction (0 = biased, 1 = unbiased). */
    public Variable var(int[] dims, boolean keepdim, int correction) { return new Var(dims, keepdim, correction).apply(this); }
    public Variable var(int dim, boolean keepdim, int correction) { return var(new int[] {dim}, keepdim, correction); }

    public Variable matmul(Variable o) { return new MatMul().apply(this, o); }
    /** Softmax over the last dimension. */
    public Variable softmax() { return new Softmax().apply(this); }
    public Variable logSoftmax() { return new LogSoftmax().apply(this); }

    public Variable view(int... shape) { return new View(shape).apply(this); }
    public Variable reshape(int... shape) { return new Reshape(shape).apply(this); }
    public Variable permute(int... order) { return new Permute(order).apply(this); }
    public Variable transpose(int d0, int d1) { return new Transpose(d0, d1).apply(this); }
    /** The transpose of the last two dimensions. */
    public Variable mT() { return new Transpose(-2, -1).apply(this); }
    public Variable narrow(int dim, int start, int length) { return new Narrow(dim, start, length).apply(this); }
    public Variable select(int dim, int index) { return new Select(dim, index).apply(this); }
    public Variable expand(int... shape) { return new Expand(shape).apply(this); }
    public Variable squeeze(int dim) { return new Squeeze(dim).apply(this); }
    public Variable unsqueeze(int dim) { return new Unsqueeze(dim).apply(this); }
    public Variable contiguous() { return new Contiguous().apply(this); }
    public Variable gather(int dim, Tensor index) { return new Gather(dim, index).apply(this); }
    public Variable indexSelect(int dim, Tensor index) { return new IndexSelect(dim, index).apply(this); }
    public Variable maskedFill(Tensor mask, double value) { return new MaskedFill(mask, value).apply(this); }

    /** Back-propagates from this scalar. */
    public void backward() {
        Graph.backward(this, null, false);
    }

    /** Back-propagates gradOutput (this variable's shape) into the graph. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Graph.backward(this, gradOutput, retainGraph);
    }

    @Override
    public String toString() {
        return "Variable(" + (name != null ? name + ", " : "") + data + (gradFn != null ? ", fn=" + gradFn.name() : "") + ")";
    }
}
