package org.sparsetuning.vit.peft;

import java.util.List;
import java.util.Map;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/** Small models and inputs shared by the baseline tests. */
final class BaselineFixtures {
    private BaselineFixtures() {
    }

    /** img 32, patch 8 (16 patches), D 24, 3 heads, depth 4, no TS. */
    static VitConfig tiny(String method, MethodOptions options) {
        return new VitConfig(32, 8, 3, 24, 4, 3, 2.0, 5, 8, 0.1, 1.0, List.of(), method, Fusion.SUM, "paper",
                List.of(1, 3), "linear", options);
    }

    static VitConfig tiny(String method) {
        return tiny(method, MethodOptions.DEFAULTS.withKadapt(4, 1, 2.0, false).withVptTokens(3));
    }

    /** ViT-B/16 at 224 px with the method's usual sizes (bottleneck 64 for the adapters). */
    static VitConfig vitB(String method, MethodOptions options) {
        int d = method.equals(VitConfig.ADAPTFORMER) || method.equals(VitConfig.ADAPTER) ? 64 : 32;
        return VitConfig.base(100).withTsLayers(List.of()).withMethod(method).withAdapter(d, 0.1).withOptions(options);
    }

    static VisionTransformer model(VitConfig cfg, long seed) {
        return new VisionTransformer(cfg, new Generator(seed)).freezeBackbone();
    }

    static Tensor images(int b) {
        return Tensor.of(new Generator(11).uniform(b * 3 * 32 * 32, -1, 1), b, 3, 32, 32);
    }

    static Tensor labels() {
        return Tensor.ofInts(new int[] {1, 4, 0}, 3);
    }

    /** Replaces the method's own tensors (not the head, not the backbone) by N(0, std) values, so every path matters. */
    static void randomiseAdded(VisionTransformer m, double std) {
        int i = 0;
        for (Map.Entry<String, Variable> e : m.addedParameters().entrySet()) {
            if (!e.getKey().startsWith("head.")) {
                Tensor d = e.getValue().data();
                d.copyFrom(Tensor.of(new Generator(100 + i++).normal(d.numel(), 0, std), d.shape()));
            }
        }
    }

    @SuppressWarnings("try")
    static double loss(VisionTransformer m, Tensor images, Tensor labels) {
        try (GradMode.Guard off = GradMode.disabled()) {
            return F.crossEntropy(m.forward(images), labels).data().item();
        }
    }
}
