package org.sparsetuning.vit.sparsify;

import java.util.Arrays;
import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.flops.FlopKind;

/**
 * Token Sparsification as one differentiable operation (SPEC A.2 steps 7–8), for a fixed {@link Selection}.
 * Inputs: the sequence y [B, N, C] (after attention and its residual add, or an earlier Dense Adapter
 * output) and the CLS attentiveness a [B, N−1]. Output: [y_cls, y[1+kept], f] with
 * f = Σ_{j∈fused} w_j·y[1+j], w = a (sum), a/Σa (weighted average); without f for drop.
 *
 * <p>Backward: the CLS and kept rows pass their gradient straight back; the fused rows receive w_j·g_f;
 * and a_j receives ⟨g_f, y[1+j]⟩ (sum) or (⟨g_f, y[1+j]⟩ − ⟨g_f, f⟩)/Σa (weighted average), so gradient
 * reaches q_cls and k_j through the attention probabilities. Kept candidates get no gradient through a.
 *
 * <p>What is saved, and why it is minimal: the row indices (ints, owned by the selection), the fusion
 * weights w [B, m] (for dy), and, only when a needs a gradient, the m fused rows of y [B, m, C]: ⟨g_f, y_j⟩
 * cannot be formed without them because g_f is unknown until backward. Those rows are exactly the tokens
 * this operation removes from the sequence, i.e. (1−ρ) of y; nothing else of y is kept, and ⟨g_f, f⟩ for
 * the weighted average is recomputed from them (it equals Σ w_j⟨g_f, y_j⟩), so f itself is not saved.
 */
public final class TokenSparsification extends Function {
    private final Selection sel;
    private int[] yShape;
    private Tensor fusedY;
    private Tensor w;
    private Tensor weightSum;

    public TokenSparsification(Selection sel) {
        this.sel = sel;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = in[0];
        Tensor a = in[1];
        if (y.dim() != 3 || y.size(0) != sel.batch || y.size(1) != sel.candidates + 1) {
            throw new IllegalArgumentException("token sparsification: sequence " + Arrays.toString(y.shape())
                    + " does not fit a selection made over " + sel.batch + " samples of " + (sel.candidates + 1) + " tokens");
        }
        if (a.dim() != 2 || a.size(0) != sel.batch || a.size(1) != sel.candidates) {
            throw new IllegalArgumentException("token sparsification: CLS scores " + Arrays.toString(a.shape())
                    + ", expected [" + sel.batch + ", " + sel.candidates + "]");
        }
        yShape = y.shape();
        int channels = y.size(2);
        save(sel.outputRows);
        Tensor keptPart = Ops.gather(y, 1, Selection.expandRows(sel.outputRows, channels));
        if (sel.fusion == Fusion.DROP) {
            return keptPart;
        }
        Tensor rows = Ops.gather(y, 1, Selection.expandRows(sel.fusedRows, channels));   // [B, m, C]
        Tensor weights = Ops.gather(a, 1, sel.fusedPositions);                              // [B, m]
        if (sel.fusion == Fusion.WEIGHTED_AVERAGE) {
            weightSum = save(weights.sum(1, true));                                          // [B, 1]
            weights = weights.div(weightSum);
        }
        Tensor fusedToken;                                                                   // [B, 1, C]
        // A weighted sum, done as a product; the reference writes it as mul + sum, which fvcore does not count.
        try (FlopCounter.Scope s = FlopCounter.reportProductsAs(FlopKind.WEIGHTED_SUM)) {
            fusedToken = weights.unsqueeze(1).matmul(rows);
        }
        w = save(weights);
        save(sel.fusedRows);
        if (needsInputGrad(1)) {
            fusedY = save(rows);
            save(sel.fusedPositions);
        }
        return Ops.concat(new Tensor[] {keptPart, fusedToken}, 1);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int channels = yShape[2];
        int keptRows = 1 + sel.keptCount();
        Tensor dy = null;
        if (needsInputGrad(0)) {
            dy = Ops.scatterAdd(Tensor.zeros(g.device(), g.dtype(), yShape), 1,
                    Selection.expandRows(sel.outputRows, channels), g.narrow(1, 0, keptRows));
        }
        if (sel.fusion == Fusion.DROP) {
            return new Tensor[] {dy, null};
        }
        Tensor gf = g.narrow(1, keptRows, 1);                                                // [B, 1, C]
        if (dy != null) {
            Tensor toFused = w.unsqueeze(2).mul(gf);                                          // [B, m, C]
            dy = Ops.scatterAdd(dy, 1, Selection.expandRows(sel.fusedRows, channels), toFused);
        }
        Tensor da = null;
        if (needsInputGrad(1)) {
            Tensor p = fusedY.matmul(gf.mT()).squeeze(2);                                     // ⟨g_f, y_j⟩, [B, m]
            Tensor dw = p;
            if (sel.fusion == Fusion.WEIGHTED_AVERAGE) {
                Tensor gDotF = w.mul(p).sum(1, true);                                         // ⟨g_f, f⟩
                dw = p.sub(gDotF).div(weightSum);
            }
            da = Ops.scatterAdd(Tensor.zeros(g.device(), g.dtype(), sel.batch, sel.candidates), 1, sel.fusedPositions, dw);
        }
        return new Tensor[] {dy, da};
    }
}
