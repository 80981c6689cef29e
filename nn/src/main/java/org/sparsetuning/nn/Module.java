package org.sparsetuning.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * A node of the model tree, as in PyTorch: it owns parameters and child modules under names, so every
 * parameter has a dotted name ({@code blocks.3.attn.qkv.weight}) that matches timm's checkpoints one to one.
 * Subclasses declare their own {@code forward} with whatever signature reads best.
 */
public abstract class Module {
    private final Map<String, Variable> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a trainable parameter under {@code name} and returns it. */
    protected final Variable parameter(String name, Tensor init) {
        checkName(name);
        Variable v = Variable.parameter(init);
        params.put(name, v);
        return v;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member names must be non-empty and dot-free, got '" + name + "'");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    /** Every parameter of this tree by dotted name, in registration order (depth first). */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Variable> out) {
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** The parameters that currently require a gradient. */
    public final List<Variable> trainableParameters() {
        List<Variable> out = new ArrayList<>();
        for (Variable v : namedParameters().values()) {
            if (v.requiresGrad()) {
                out.add(v);
            }
        }
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Variable v : namedParameters().values()) {
            n += v.data().numel();
        }
        return n;
    }

    public final long trainableParameterCount() {
        long n = 0;
        for (Variable v : trainableParameters()) {
            n += v.data().numel();
        }
        return n;
    }

    /** Name → data of every parameter. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().data());
        }
        return out;
    }

    /**
     * Copies values into the parameters of the same names. Shapes must match exactly. With {@code strict},
     * every parameter must be given and every given tensor must be a parameter; otherwise missing and
     * unexpected names are returned so the caller can report them.
     *
     * @param source where the tensors came from, for error messages (a file name)
     */
    public final LoadReport loadStateDict(Map<String, Tensor> state, boolean strict, String source) {
        Map<String, Variable> mine = namedParameters();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String k : state.keySet()) {
            if (!mine.containsKey(k)) {
                unexpected.add(k);
            }
        }
        for (Map.Entry<String, Variable> e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
                continue;
            }
            Tensor dst = e.getValue().data();
            if (!Arrays.equals(t.shape(), dst.shape())) {
                throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + " but the model expects " + Arrays.toString(dst.shape()));
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException(source + " does not fit the model: missing " + missing + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, Variable> e : mine.entrySet()) {
            Tensor t = state.get(e.getKey());
            if (t != null) {
                Tensor dst = e.getValue().data();
                boolean frozen = dst.storage().isFrozen();
                dst.storage().setFrozen(false);
                dst.copyFrom(t);
                dst.storage().setFrozen(frozen);
            }
        }
        return new LoadReport(missing, unexpected);
    }

    /** What a non-strict load left out. */
    public record LoadReport(List<String> missing, List<String> unexpected) {
    }

    /**
     * Freezes (or unfreezes) every parameter whose dotted name matches the regular expression, and returns
     * how many matched. Frozen weights need no gradient, and their storage is marked constant so kernels
     * can cache a packed copy of them.
     */
    public final int setTrainable(String regex, boolean trainable) {
        Pattern p = Pattern.compile(regex);
        int n = 0;
        for (Map.Entry<String, Variable> e : namedParameters().entrySet()) {
            if (p.matcher(e.getKey()).matches()) {
                e.getValue().requiresGrad(trainable);
                e.getValue().data().storage().setFrozen(!trainable);
                n++;
            }
        }
        return n;
    }

    public final int freeze(String regex) {
        return setTrainable(regex, false);
    }

    public final int unfreeze(String regex) {
        return setTrainable(regex, true);
    }

    /**
     * Moves every parameter of this tree to {@code device} in place (see {@link Variable#moveTo}), keeping
     * names, requiresGrad and frozen flags, then lets each module move its other state (running statistics)
     * with {@link #moveState}. An optimizer's moments follow their parameter on its next step.
     */
    public final Module to(Device device) {
        for (Variable v : namedParameters().values()) {
            v.moveTo(device);
        }
        moveStateTree(device);
        return this;
    }

    private void moveStateTree(Device device) {
        moveState(device);
        for (Module c : children.values()) {
            c.moveStateTree(device);
        }
    }

    /** Moves this module's tensors that are not parameters (running statistics, say); none by default. */
    protected void moveState(Device device) {
    }

    public final boolean isTraining() {
        return training;
    }

    /** Training mode (dropout active) for this module and all below it. */
    public final Module train(boolean on) {
        training = on;
        for (Module c : children.values()) {
            c.train(on);
        }
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    /**
     * Runs body in a {@link TensorScope} so every temporary it allocates is freed when it returns (unless an
     * autograd node saved it for backward); only the result escapes. Forward methods use this to keep the
     * live memory of a pass equal to what backward really needs.
     */
    protected static Variable scoped(Supplier<Variable> body) {
        try (TensorScope scope = TensorScope.open()) {
            Variable out = body.get();
            scope.escape(out.data().storage());
            return out;
        }
    }
}
