package org.sparsetuning.vit.sparsify;

import java.util.Arrays;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;

/**
 * One Token Sparsification decision for a batch: per sample, which of the N−1 non-CLS tokens are kept
 * ({@code kept}, ascending positions) and which are fused ({@code fused}, ascending), plus the CLS
 * attentiveness {@code weights} a [B, N−1] that weight the fused token. The same decision re-sparsifies
 * earlier Dense Adapter outputs (S in SPEC A.3), so gradients from those reach a as well.
 *
 * <p>The kept tokens stay in position order rather than torch.topk's score order: every later layer is
 * permutation-equivariant over tokens, so the outputs are the same.
 */
public final class Selection {
    public final int batch;
    public final int candidates;
    public final int[][] kept;
    public final int[][] fused;
    public final Fusion fusion;
    public final Variable weights;
    /** Sequence rows, CLS included, gathered into the output: [B, 1+k] = 0, 1+kept. */
    final Tensor outputRows;
    /** Sequence rows of the fused tokens: [B, m] = 1+fused. */
    final Tensor fusedRows;
    /** Positions among the candidates (indexes a): [B, m] = fused. */
    final Tensor fusedPositions;

    private Selection(int[][] kept, int[][] fused, int candidates, Fusion fusion, Variable weights, Device device) {
        this.batch = kept.length;
        this.candidates = candidates;
        this.kept = kept;
        this.fused = fused;
        this.fusion = fusion;
        this.weights = weights;
        int k = kept[0].length;
        int m = fused[0].length;
        int[] rows = new int[batch * (1 + k)];
        int[] frows = new int[batch * m];
        int[] fpos = new int[batch * m];
        for (int b = 0; b < batch; b++) {
            rows[b * (1 + k)] = 0;
            for (int t = 0; t < k; t++) {
                rows[b * (1 + k) + 1 + t] = 1 + kept[b][t];
            }
            for (int t = 0; t < m; t++) {
                frows[b * m + t] = 1 + fused[b][t];
                fpos[b * m + t] = fused[b][t];
            }
        }
        // Made on the host from the downloaded top-k, then uploaded once to the scores' device.
        this.outputRows = Tensor.ofInts(rows, batch, 1 + k, 1).to(device);
        this.fusedRows = Tensor.ofInts(frows, batch, m, 1).to(device);
        this.fusedPositions = Tensor.ofInts(fpos, batch, m).to(device);
    }

    /**
     * Holds (or, with {@code false}, lets go of) a reference on this selection's tensors: later layers re-apply
     * the selection (S of SPEC A.3), so it must outlive the tensor scope of the layer that made it.
     */
    void hold(boolean on) {
        for (Tensor t : new Tensor[] {weights.data(), outputRows, fusedRows, fusedPositions}) {
            if (on) {
                t.storage().retain();
            } else {
                t.storage().release();
            }
        }
    }

    /**
     * Keeps the k highest-scoring candidates of each sample. {@code scores} is a [B, N−1], the head-averaged
     * CLS attention probabilities (a Variable so the fused token's gradient reaches it).
     */
    public static Selection topK(Variable scores, int k, Fusion fusion) {
        Tensor a = scores.data();
        if (a.dim() != 2) {
            throw new IllegalArgumentException("CLS scores must be [B, N-1], got " + Arrays.toString(a.shape()));
        }
        int batch = a.size(0);
        int n = a.size(1);
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException("keep count must be in [1, " + (n - 1) + "] for " + n + " candidates, got " + k);
        }
        // The choice is made on the host: only the [B, k] indices are downloaded, not the scores.
        int[] top = Ops.topk(a, k)[1].toIntArray();
        int[][] kept = new int[batch][];
        int[][] fused = new int[batch][n - k];
        for (int b = 0; b < batch; b++) {
            kept[b] = Arrays.copyOfRange(top, b * k, (b + 1) * k);
            Arrays.sort(kept[b]);
            boolean[] isKept = new boolean[n];
            for (int j : kept[b]) {
                isKept[j] = true;
            }
            for (int j = 0, t = 0; j < n; j++) {
                if (!isKept[j]) {
                    fused[b][t++] = j;
                }
            }
        }
        return new Selection(kept, fused, n, fusion, scores, a.device());
    }

    public int keptCount() {
        return kept[0].length;
    }

    public int fusedCount() {
        return fused[0].length;
    }

    /** Tokens after this selection, CLS included. */
    public int tokensAfter() {
        return 1 + keptCount() + (fusion == Fusion.DROP ? 0 : 1);
    }

    /** [z_cls, z[1+kept], fused] for a sequence z [B, 1+N−1, C] at this selection's stage. */
    public Variable apply(Variable z) {
        return new TokenSparsification(this).apply(z, weights);
    }

    static Tensor expandRows(Tensor rows, int channels) {
        return rows.expand(rows.size(0), rows.size(1), channels);
    }
}
