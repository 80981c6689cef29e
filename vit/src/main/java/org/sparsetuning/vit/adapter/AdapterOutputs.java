package org.sparsetuning.vit.adapter;

import java.util.HashMap;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.vit.sparsify.TokenTracker;

/**
 * The Dense Adapter outputs of one forward pass, each with the TS stage it was produced in, so a later
 * layer can bring it to its own token count with the stored selections (S of SPEC A.3).
 *
 * <p>It holds a reference on each output's storage until no later layer can ask for it, so a layer can make
 * its output inside a tensor scope and the output lives exactly as long as it is needed here or saved for
 * backward. {@link #close()} lets go of what is left at the end of the pass.
 */
public final class AdapterOutputs implements AutoCloseable {
    private record Staged(Variable value, int stage) {
    }

    private final Map<Integer, Staged> byBlock = new HashMap<>();
    private final TokenTracker tokens;

    public AdapterOutputs(TokenTracker tokens) {
        this.tokens = tokens;
    }

    public void put(int block, Variable value) {
        value.data().storage().retain();
        Staged old = byBlock.put(block, new Staged(value, tokens.stage()));
        if (old != null) {
            old.value().data().storage().release();
        }
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
        byBlock.entrySet().removeIf(e -> {
            boolean old = e.getKey() < block;
            if (old) {
                e.getValue().value().data().storage().release();
            }
            return old;
        });
    }

    @Override
    public void close() {
        byBlock.values().forEach(s -> s.value().data().storage().release());
        byBlock.clear();
    }
}
