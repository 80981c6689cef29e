package org.sparsetuning.autograd;

import java.util.ArrayList;
import java.util.List;
import org.sparsetuning.tensor.Tensor;

/**
 * One differentiable operation, in the style of PyTorch's {@code autograd.Function}: a fresh instance per
 * call is both the operation and its context. {@link #forward} computes on plain tensors and saves, with
 * {@link #save}, only what {@link #backward} will read, and only for the inputs that
 * {@link #needsInputGrad} says need a gradient. {@link #backward} returns one gradient per input (null
 * where none is needed), each with that input's shape.
 *
 * <p>This is also the public way to write a custom operation with a hand-written backward: subclass,
 * implement the two methods, call {@link #apply}.
 */
public abstract class Function {
    private Variable[] inputs;
    private boolean[] needsInputGrad;
    private boolean recording;
    private boolean released;
    private final List<Tensor> saved = new ArrayList<>(2);

    /** Computes the output from the inputs' data. */
    protected abstract Tensor forward(Tensor... inputs);

    /** Gradients of the loss with respect to each input, given the gradient with respect to the output. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Runs the operation and, when any input needs a gradient and grad mode is on, records it in the graph. */
    public final Variable apply(Variable... in) {
        boolean any = false;
        boolean[] needs = new boolean[in.length];
        if (GradMode.isEnabled()) {
            for (int i = 0; i < in.length; i++) {
                needs[i] = in[i] != null && in[i].requiresGrad();
                any |= needs[i];
            }
        }
        this.needsInputGrad = needs;
        this.recording = any;
        Tensor[] data = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            data[i] = in[i] == null ? null : in[i].data();
        }
        Tensor out = forward(data);
        if (!any) {
            return Variable.constant(out);
        }
        this.inputs = in.clone();
        return Variable.fromFunction(out, this);
    }

    protected final boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /** Whether this call is recorded for backward (some input needs a gradient and grad mode is on). */
    protected final boolean recording() {
        return recording;
    }

    /** Keeps t alive for backward. A no-op when nothing is being recorded. */
    protected final Tensor save(Tensor t) {
        if (recording && t != null) {
            t.storage().retain();
            saved.add(t);
        }
        return t;
    }

    /** Bytes of storage this node keeps for its backward pass (a shared storage counts each time). */
    public final long savedBytes() {
        long b = 0;
        for (Tensor t : saved) {
            b += t.storage().bytes();
        }
        return b;
    }

    final Variable[] inputs() {
        return inputs;
    }

    final boolean needs(int i) {
        return needsInputGrad[i];
    }

    final boolean isReleased() {
        return released;
    }

    /** Drops what forward saved; after this the node cannot run backward again. */
    final void releaseSaved() {
        for (Tensor t : saved) {
            t.storage().release();
        }
        saved.clear();
        released = true;
    }

    /** The name shown in errors and graph dumps. */
    public String name() {
        return getClass().getSimpleName();
    }
}
