package org.sparsetuning.vit.sparsify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sparsetuning.autograd.Variable;

/**
 * The Token Sparsification state of one forward pass: the selections made so far (the stages), which
 * original patch each current token came from (−1 for a fused token), and, per sparsifying layer, the
 * tokens it kept (the trace's {@code kept.{N}}).
 */
public final class TokenTracker implements AutoCloseable {
    private final double keepRate;
    private final Set<Integer> layers;
    private final Fusion fusion;
    private final List<Selection> stages = new ArrayList<>();
    private final Map<Integer, int[][]> keptByLayer = new LinkedHashMap<>();
    private int[][] origin;

    /**
     * @param layers 1-based layer numbers that sparsify
     * @param numPatches patch tokens of the input (the sequence has one more, the CLS token)
     */
    public TokenTracker(double keepRate, List<Integer> layers, Fusion fusion, int batch, int numPatches) {
        this.keepRate = keepRate;
        this.layers = new TreeSet<>(layers);
        this.fusion = fusion;
        this.origin = new int[batch][numPatches];
        for (int[] row : origin) {
            for (int j = 0; j < numPatches; j++) {
                row[j] = j;
            }
        }
    }

    public boolean sparsifiesAt(int layer) {
        return layers.contains(layer);
    }

    /**
     * One TS step at 1-based {@code layer} on y [B, N, C] with CLS scores a [B, N−1]. When k = N−1 nothing
     * changes and no stage is recorded (so S is not applied for it either), as in the reference.
     */
    public Variable sparsify(int layer, Variable y, Variable clsScores) {
        int candidates = y.size(1) - 1;
        int k = KeepCount.of(keepRate, candidates);
        if (k >= candidates) {
            keptByLayer.put(layer, sortedRows(origin));
            return y;
        }
        Selection sel = Selection.topK(clsScores, k, fusion);
        int[][] next = new int[origin.length][];
        for (int b = 0; b < origin.length; b++) {
            int[] row = new int[sel.tokensAfter() - 1];
            for (int t = 0; t < k; t++) {
                row[t] = origin[b][sel.kept[b][t]];
            }
            if (fusion != Fusion.DROP) {
                row[k] = -1;
            }
            next[b] = row;
        }
        int[][] kept = new int[origin.length][];
        for (int b = 0; b < origin.length; b++) {
            kept[b] = Arrays.copyOf(next[b], k);
        }
        keptByLayer.put(layer, sortedRows(kept));
        origin = next;
        sel.hold(true);
        stages.add(sel);
        return sel.apply(y);
    }

    /**
     * Lets go of the selections' tensors at the end of the pass (what backward needs of them, the nodes saved);
     * the kept indices stay readable.
     */
    @Override
    public void close() {
        stages.forEach(sel -> sel.hold(false));
    }

    /** How many selections have changed the sequence so far. */
    public int stage() {
        return stages.size();
    }

    /** Applies, in order, every selection made after stage {@code fromStage} (S of SPEC A.3). */
    public Variable bringToStage(Variable z, int fromStage) {
        for (Selection sel : stages.subList(fromStage, stages.size())) {
            z = sel.apply(z);
        }
        return z;
    }

    /** Layer → kept original patch indices [B][k] (−1 = an earlier fused token), rows ascending. */
    public Map<Integer, int[][]> keptByLayer() {
        return Collections.unmodifiableMap(keptByLayer);
    }

    public List<Selection> stages() {
        return Collections.unmodifiableList(stages);
    }

    private static int[][] sortedRows(int[][] rows) {
        int[][] out = new int[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            out[b] = rows[b].clone();
            Arrays.sort(out[b]);
        }
        return out;
    }
}
