package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.adapter.DenseAdapters;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

class SparseTuningModelTest {
    /** ViT-B/16's token grid (224 px, patch 16: 197 tokens) with a tiny width, so it runs on the reference backend. */
    static VitConfig narrowB16(double rho) {
        return new VitConfig(224, 16, 3, 12, 12, 2, 2.0, 4, 4, 1.0, rho, List.of(4, 7, 10), VitConfig.SPARSE_TUNING,
                Fusion.SUM, "paper", List.of(1, 3), "linear");
    }

    static VisionTransformer model(VitConfig cfg) {
        VisionTransformer m = new VisionTransformer(cfg, new Generator(7)).freezeBackbone();
        // Non-zero up-projections so every adapter path carries signal.
        m.trainableNamed().forEach((k, v) -> {
            if (k.contains(".up.")) {
                v.data().copyFrom(Tensor.of(new Generator(k.hashCode()).normal(v.data().numel(), 0, 0.1), v.data().shape()));
            }
        });
        return m;
    }

    static Tensor images(int b) {
        return Tensor.of(new Generator(11).uniform(b * 3 * 224 * 224, -1, 1), b, 3, 224, 224);
    }

    @Test
    void vitB16TokenCountsAtRho07() {
        VisionTransformer m = model(narrowB16(0.7));
        m.forward(images(1));
        Map<Integer, int[][]> kept = m.lastTokens().keptByLayer();
        // kept k = ceil(0.7 (N-1)) at layers 4, 7, 10; the sequence after each is CLS + k + fused: 140, 100, 72
        assertEquals(138, kept.get(4)[0].length);
        assertEquals(98, kept.get(7)[0].length);
        assertEquals(70, kept.get(10)[0].length);
        int fusedTokensAt10 = 0;
        for (int t : kept.get(10)[0]) {
            fusedTokensAt10 += t < 0 ? 1 : 0;
        }
        assertTrue(fusedTokensAt10 <= 1, "at most the previous fused token can be kept");
    }

    @Test
    void onlyAdaptersAndHeadTrain() {
        VisionTransformer m = model(narrowB16(0.7));
        for (Map.Entry<String, Variable> e : m.namedParameters().entrySet()) {
            boolean trainable = e.getKey().startsWith("head.") || e.getKey().contains(".dense_adapter.");
            assertEquals(trainable, e.getValue().requiresGrad(), e.getKey());
            assertEquals(!trainable, e.getValue().data().storage().isFrozen(), e.getKey());
        }
    }

    /** Bytes alive after the forward pass: what backward will read, plus the logits. */
    static long bytesKeptForBackward(double rho) {
        VisionTransformer m = model(narrowB16(rho));
        Tensor img = images(2);
        Tensor labels = Tensor.ofInts(new int[] {1, 3}, 2);
        try (TensorScope outer = TensorScope.open(); MemoryTracker.Measurement meas = MemoryTracker.measure()) {
            Variable loss = F.crossEntropy(m.forward(img), labels);
            long kept = meas.liveBytes();
            loss.backward();
            assertTrue(((DenseAdapters) m.method).adapter(0).downX.weight.grad() != null);
            return kept;
        }
    }

    @Test
    void sparsificationReducesWhatATrainingStepKeeps() {
        long dense = bytesKeptForBackward(1.0);
        long sparse = bytesKeptForBackward(0.7);
        System.out.printf("bytes kept for backward: rho 1.0 %d, rho 0.7 %d (%.2f)%n", dense, sparse, (double) sparse / dense);
        assertTrue(sparse < 0.85 * dense, "rho 0.7 keeps " + sparse + " bytes, rho 1.0 keeps " + dense);
    }
}
