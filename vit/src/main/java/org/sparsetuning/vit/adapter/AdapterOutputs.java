package org.sparsetuning.vit.adapter;

import java.util.HashMap;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * The Dense Adapter outputs of one forward pass, each with the TS stage it was produced in, so a later
 * layer can bring it to its own token count with the stored selections (S of SPEC A.3).
 */
public final class AdapterOutputs {
    private record Staged(Variable value, int stage) {
    }

    private final Map<Integer, Staged> byBlock = new HashMap<>();
    private final TokenTracker tokens;

    public AdapterOutputs(TokenTracker tokens) {
        this.tokens = tokens;
    }

    public void put(int block, Variable value) {
        byBlock.put(block, new Staged(value, tokens.stage()));
    }

    /** x_DA of {@code block} at the current stage's token count. */
    public Variable atCurrentStage(int block) {
        Staged s = byBlock.get(block);
        if (s == null) {
            throw new IllegalStateException("no Dense Adapter output recorded for block " + block);
        }
        return tokens.bringToStage(s.value(), s.stage());
    }

    /** Forgets outputs no later layer can ask for (older than the largest offset), so they can be freed. */
    public void forgetBefore(int block) {
        byBlock.keySet().removeIf(i -> i < block);
    }
}
