package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.Variable;

/**
 * The points where a fine-tuning method changes the frozen forward pass, and which backbone tensors it trains.
 * Every default changes nothing, so a method overrides only what it needs. Block indices are 0-based.
 * <pre>
 *   x   = beforeBlock(i, x)
 *   xn  = LN1(x);                      Δ = attentionDeltas(i, xn)
 *   y   = x + afterAttention(i, MHSA(xn; Δ));   y = TS(y) if the layer sparsifies
 *   yn  = LN2(y)
 *   out = y + afterMlp(i, MLP(yn)) [+ parallel(i, y, yn)] [+ s·DenseAdapter(...)]
 *   x   = afterBlock(i, out)
 * </pre>
 */
public interface MethodHooks {
    MethodHooks NONE = new MethodHooks() {
    };

    /** Called once per forward with the embedded tokens (CLS and position included), before block 0. */
    default void begin(Variable embedded) {
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

    /** A branch added beside the MLP, or null for none. */
    default Variable parallel(int block, Variable y, Variable yn) {
        return null;
    }

    default Variable afterBlock(int block, Variable x) {
        return x;
    }

    /**
     * Whether this method trains the backbone tensor of that (timm) name. The method's own tensors and the head
     * always train.
     */
    default boolean trainsBackbone(String name) {
        return false;
    }
}
