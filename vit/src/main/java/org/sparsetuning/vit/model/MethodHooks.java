package org.sparsetuning.vit.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.Module;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * A fine-tuning method attached to a model: the points where it changes the frozen forward pass, and exactly which
 * tensors it trains. Every default changes nothing, so a method overrides only what it needs. Block indices are
 * 0-based. Every method, Sparse-Tuning's Dense Adapters included, acts through these points only:
 * <pre>
 *   x   = beforeBlock(i, x)
 *   xn  = LN1(x);                      Δ = attentionDeltas(i, xn)
 *   y   = x + afterAttention(i, MHSA(xn; Δ));   y = TS(y) if the layer sparsifies
 *   yn  = LN2(y)
 *   out = y + afterMlp(i, MLP(yn)) [+ parallel(i, y, yn)]
 *   x   = afterBlock(i, out)
 * </pre>
 */
public interface MethodHooks {
    MethodHooks NONE = new MethodHooks() {
    };

    /**
     * Called once per forward with the embedded tokens (CLS and position included), before block 0, and the pass's
     * token state (which layers sparsify, the selections made so far).
     */
    default void begin(Variable embedded, TokenTracker tokens) {
    }

    /** Called once per forward after the last block, also when the pass failed: drop what {@link #begin} held. */
    default void end() {
    }

    default Variable beforeBlock(int block, Variable x) {
        return x;
    }

    /** Additions to q and v, or null for none. */
    default QvDelta attentionDeltas(int block, Variable xn) {
        return null;
    }

    /** The attention sub-layer's output before the residual add. */
    default Variable afterAttention(int block, Variable attnOut) {
        return attnOut;
    }

    /** The MLP sub-layer's output before the residual add. */
    default Variable afterMlp(int block, Variable mlpOut) {
        return mlpOut;
    }

    /** A branch added beside the MLP (Dense Adapters, AdaptFormer), or null for none. */
    default Variable parallel(int block, Variable y, Variable yn) {
        return null;
    }

    default Variable afterBlock(int block, Variable x) {
        return x;
    }

    /**
     * The tensors this method added to the model, all of which train. The model checks that every tensor outside
     * the backbone is one of these or the head, so nothing trains by accident of its name.
     */
    default List<Variable> ownTensors() {
        return List.of();
    }

    /** Whether this method trains the backbone tensor of that (timm) name (BitFit's biases, full fine-tuning). */
    default boolean trainsBackbone(String name) {
        return false;
    }

    /** Every tensor of these modules, for {@link #ownTensors()}. */
    static List<Variable> tensorsOf(Collection<? extends Module> modules) {
        List<Variable> out = new ArrayList<>();
        modules.forEach(m -> out.addAll(m.namedParameters().values()));
        return out;
    }
}
