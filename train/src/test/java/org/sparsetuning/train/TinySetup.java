package org.sparsetuning.train;

import java.util.List;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/** A tiny Sparse-Tuning model and a small learnable data set made in memory, shared by the training tests. */
public final class TinySetup {
    private TinySetup() {
    }

    /** 8×8 grey images, patch 4 (4 tokens), D 16, depth 2, TS at layer 2 keeping 2 of 4, 3 classes. */
    public static VitConfig config(String method) {
        return new VitConfig(8, 4, 1, 16, 2, 2, 2.0, 3, 4, 1.0, 0.5, List.of(2), method, Fusion.SUM, "paper",
                List.of(1, 3), "linear");
    }

    public static VisionTransformer model(VitConfig cfg) {
        return new VisionTransformer(cfg, new Generator(7)).freezeBackbone();
    }

    /**
     * {@code n} images of 3 classes: N(0, 0.3) noise shifted by 0.5·(label − 1), so the classes differ in content
     * (a random backbone barely sees position, so a positional task would not be learnable in a few steps).
     */
    public static TensorData data(int n, long seed) {
        Generator g = new Generator(seed);
        float[] px = g.normal(n * 64, 0, 0.3);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = c;
            for (int p = 0; p < 64; p++) {
                px[i * 64 + p] += 0.5f * (c - 1);
            }
        }
        return new TensorData(Tensor.of(px, n, 1, 8, 8), labels, List.of("a", "b", "c"), "tiny-" + seed);
    }
}
