package org.sparsetuning.vit.model;

import org.sparsetuning.autograd.Variable;

/**
 * Per-token additions to the query and value projections of one attention layer, [B, N, D] each (either may be
 * null), in the layout of the qkv output before the heads are split.
 *
 * @param qAfterScale add the q delta after q is scaled by 1/√head_dim ({@code q ← q/√d + Δq}, KAdaptation's official
 *     code and SPEC C.2, KAdaptation's default) instead of before ({@code q ← (q + Δq)/√d}, LoRA)
 */
public record QvDelta(Variable q, Variable v, boolean qAfterScale) {
}
