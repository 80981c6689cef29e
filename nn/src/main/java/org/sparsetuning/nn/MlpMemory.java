package org.sparsetuning.nn;

/**
 * What a frozen MLP keeps for backward, chosen per process with {@code -Dsparsetuning.mlp.keepHidden}:
 * {@code true} (the default) keeps fc1's output (4·D values per token and block) and saves one fc1 product per
 * block in backward, the faster step; {@code false} keeps only each block's MLP input and recomputes fc1 in
 * backward, the smaller footprint. The default is the faster one because the whole process stays well under
 * PyTorch's with it (BENCHMARKS.md, "whole-process memory"). Any other value is refused, so a misspelt setting
 * cannot silently select the default.
 */
public final class MlpMemory {
    public static final String PROPERTY = "sparsetuning.mlp.keepHidden";

    private MlpMemory() {
    }

    /** Whether frozen MLPs keep their hidden activation for backward instead of recomputing it. */
    public static boolean keepHidden() {
        return parse(System.getProperty(PROPERTY));   // read per call, so a bad value fails the run with this message
    }

    static boolean parse(String value) {
        if (value == null || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": expected true or false");
    }
}
