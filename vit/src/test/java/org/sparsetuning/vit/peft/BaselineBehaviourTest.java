package org.sparsetuning.vit.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The baselines without a golden case, and the invariants of all of them: zero-initialised paths start as the
 * plain ViT, only the intended tensors train and receive gradients, and the gradients agree with central
 * differences of the loss along a random direction (a model-level gradient check in F32).
 */
class BaselineBehaviourTest {
    static final String ADAPTER_HOULSBY = "adapter-houlsby";

    static VitConfig cfg(String name) {
        if (name.equals(ADAPTER_HOULSBY)) {
            return BaselineFixtures.tiny(VitConfig.ADAPTER,
                    MethodOptions.DEFAULTS.withAdapterPlacement("houlsby"));
        }
        return BaselineFixtures.tiny(name);
    }

    /** The trainable names each method should have, besides the head. */
    static Predicate<String> intended(String name) {
        return switch (name) {
            case VitConfig.LORA -> k -> k.matches("blocks\\.\\d\\.attn\\.lora_[qv]\\.[AB]");
            case VitConfig.ADAPTFORMER -> k -> k.matches("blocks\\.\\d\\.adaptformer\\.(down|up)\\.(weight|bias)");
            case VitConfig.KADAPTATION -> k -> k.matches("kadaptation\\.[qv]\\.a_(left|right)")
                    || k.matches("blocks\\.\\d\\.attn\\.(kadapt_[qv]\\.b_(left|right)|kadapt_bias)");
            case VitConfig.ADAPTER -> k -> k.matches("blocks\\.\\d\\.adapter_mlp\\.(norm|down|up)\\.(weight|bias)");
            case ADAPTER_HOULSBY -> k -> k.matches("blocks\\.\\d\\.adapter_(attn|mlp)\\.(norm|down|up)\\.(weight|bias)");
            case VitConfig.VPT -> k -> k.matches("blocks\\.\\d\\.prompt");
            case VitConfig.BITFIT -> k -> k.endsWith(".bias");
            case VitConfig.FULL -> k -> true;
            default -> k -> false;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {VitConfig.LORA, VitConfig.ADAPTFORMER, VitConfig.KADAPTATION, VitConfig.ADAPTER,
            ADAPTER_HOULSBY, VitConfig.BITFIT, VitConfig.FULL, VitConfig.LINEAR_PROBE})
    void zeroInitialisedMethodStartsAsThePlainVit(String name) {
        VisionTransformer plain = BaselineFixtures.model(BaselineFixtures.tiny(VitConfig.LINEAR_PROBE), 5);
        VisionTransformer m = BaselineFixtures.model(cfg(name), 5);
        Tensor img = BaselineFixtures.images(3);
        double[] a = plain.forward(img).data().toDoubleArray();
        double[] b = m.forward(img).data().toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, name + ": logit " + i);
        }
        // ...and is not trivially so: with its tensors non-zero the method changes the logits.
        if (!name.equals(VitConfig.LINEAR_PROBE) && !name.equals(VitConfig.BITFIT) && !name.equals(VitConfig.FULL)) {
            BaselineFixtures.randomiseAdded(m, 0.2);
            double[] c = m.forward(img).data().toDoubleArray();
            double diff = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - c[i]));
            }
            assertTrue(diff > 1e-3, name + ": randomised method tensors left the logits unchanged (" + diff + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {VitConfig.LORA, VitConfig.ADAPTFORMER, VitConfig.KADAPTATION, VitConfig.ADAPTER,
            ADAPTER_HOULSBY, VitConfig.VPT, VitConfig.BITFIT, VitConfig.FULL, VitConfig.LINEAR_PROBE})
    void onlyTheIntendedTensorsTrainAndGetGradients(String name) {
        VisionTransformer m = BaselineFixtures.model(cfg(name), 3);
        BaselineFixtures.randomiseAdded(m, 0.2);
        Predicate<String> mine = intended(name);
        int trained = 0;
        for (Map.Entry<String, Variable> e : m.namedParameters().entrySet()) {
            boolean train = e.getKey().startsWith("head.") || mine.test(e.getKey());
            assertEquals(train, e.getValue().requiresGrad(), name + ": requiresGrad of " + e.getKey());
            assertEquals(!train, e.getValue().data().storage().isFrozen(), name + ": frozen storage of " + e.getKey());
            trained += train ? 1 : 0;
        }
        assertEquals(trained, m.trainableNamed().size(), name + ": trainableNamed");
        F.crossEntropy(m.forward(BaselineFixtures.images(3)), BaselineFixtures.labels()).backward();
        for (Map.Entry<String, Variable> e : m.namedParameters().entrySet()) {
            Tensor g = e.getValue().grad();
            if (e.getValue().requiresGrad()) {
                assertNotNull(g, name + ": no gradient for " + e.getKey());
                assertTrue(g.abs().sum().item() > 0, name + ": gradient of " + e.getKey() + " is all zero");
            } else {
                assertNull(g, name + ": frozen " + e.getKey() + " got a gradient");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {VitConfig.LORA, VitConfig.ADAPTFORMER, VitConfig.KADAPTATION, ADAPTER_HOULSBY,
            VitConfig.VPT, VitConfig.BITFIT, VitConfig.FULL})
    void gradientsMatchCentralDifferencesAlongARandomDirection(String name) {
        VisionTransformer m = BaselineFixtures.model(cfg(name), 9);
        BaselineFixtures.randomiseAdded(m, 0.2);
        Tensor img = BaselineFixtures.images(3);
        Tensor labels = BaselineFixtures.labels();
        m.trainableNamed().values().forEach(Variable::zeroGrad);
        F.crossEntropy(m.forward(img), labels).backward();

        Map<String, Tensor> start = new LinkedHashMap<>();
        Map<String, Tensor> dir = new LinkedHashMap<>();
        double analytic = 0;
        int i = 0;
        for (Map.Entry<String, Variable> e : m.trainableNamed().entrySet()) {
            Tensor d = e.getValue().data();
            start.put(e.getKey(), d.copy());
            Tensor r = Tensor.of(new Generator(500 + i++).normal(d.numel(), 0, 1), d.shape());
            dir.put(e.getKey(), r);
            analytic += e.getValue().grad().mul(r).sum().item();
        }
        // Central differences at h and h/2, Richardson-combined to cancel the O(h²) term (full fine-tuning moves
        // the near-zero CLS token and position embedding by a lot relative to their size).
        double h = 2e-3;
        double coarse = (lossAt(m, start, dir, h, img, labels) - lossAt(m, start, dir, -h, img, labels)) / (2 * h);
        double fine = (lossAt(m, start, dir, h / 2, img, labels) - lossAt(m, start, dir, -h / 2, img, labels)) / h;
        double numeric = (4 * fine - coarse) / 3;
        assertTrue(Math.abs(analytic) > 1e-2, name + ": directional derivative too small to test: " + analytic);
        assertEquals(numeric, analytic, 2e-3 * Math.abs(numeric), name + ": d loss along R, analytic vs numeric");
        System.out.printf("%s: directional derivative analytic %.6f, numeric %.6f%n", name, analytic, numeric);
    }

    private static double lossAt(VisionTransformer m, Map<String, Tensor> start, Map<String, Tensor> dir, double h,
            Tensor img, Tensor labels) {
        m.trainableNamed().forEach((k, v) -> v.data().copyFrom(start.get(k).add(dir.get(k).mul(h))));
        double l = BaselineFixtures.loss(m, img, labels);
        m.trainableNamed().forEach((k, v) -> v.data().copyFrom(start.get(k)));
        return l;
    }
}
