package org.sparsetuning.autograd;

import org.sparsetuning.tensor.Tensor;

/**
 * A tensor in the autograd graph: its data, whether it needs a gradient, the {@link Function} that made it
 * (null for leaves), and, for leaves, the accumulated gradient after {@link #backward()}.
 *
 * <p>Gradients handed out by {@link #grad()} may share storage with other gradients of the same pass;
 * treat them as read-only.
 */
public final class Variable {
    private final Tensor data;
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
