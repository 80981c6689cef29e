package org.sparsetuning.vit.flops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.flops.FlopKind;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * GFLOPs and parameter counts of a ViT the way the Sparse-Tuning code measures them (SPEC A.9): fvcore on a
 * single 1×C×H×W image (a 1×C×T×H×W clip for a clip model, SPEC H), model in eval mode. The flops are
 * counted from the operations the forward pass really runs (see {@link FlopCounter}), so Token Sparsification's shrinking sequence, the adapters and any
 * other method show up without a formula per model. The image is random: which tokens are kept depends on
 * it, how many does not, and neither does the count.
 */
public final class Flops {
    private Flops() {
    }

    /** Counts a built model as it stands (its frozen/trainable split is reported as is). */
    public static FlopReport count(VisionTransformer model) {
        VitConfig cfg = model.cfg;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (TensorScope scope = TensorScope.open(); GradMode.Guard noGrad = GradMode.disabled()) {
            Tensor image = Tensor.randn(new Generator(1), cfg.inputShape(1));
            try (FlopCounter counter = FlopCounter.open()) {
                model.forward(image);
                return new FlopReport(counter.fvcoreTotal(), counter.byKind(), fvcoreByRegion(counter),
                        model.parameterCount(), model.trainableParameterCount(), elements(model.head.namedParameters()));
            }
        } finally {
            model.train(wasTraining);
        }
    }

    /** Builds {@code cfg} with random weights, freezes the backbone as for training, and counts it. */
    public static FlopReport count(VitConfig cfg) {
        return count(new VisionTransformer(cfg, new Generator(0)).freezeBackbone());
    }

    private static Map<String, Long> fvcoreByRegion(FlopCounter counter) {
        Map<String, Long> out = new LinkedHashMap<>();
        counter.byRegion().forEach((region, kinds) -> {
            long t = 0;
            for (Map.Entry<FlopKind, Long> e : kinds.entrySet()) {
                if (e.getKey().countedByFvcore) {
                    t += e.getValue();
                }
            }
            out.merge(region, t, Long::sum);
        });
        return out;
    }

    private static long elements(Map<String, Variable> params) {
        long n = 0;
        for (Variable v : params.values()) {
            n += v.data().numel();
        }
        return n;
    }
}
