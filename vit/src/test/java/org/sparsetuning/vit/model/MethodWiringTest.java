package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.init.Init;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.trace.Trace;

/** One way to attach a method: providers from the class path, an explicit trainable set, honest traces. */
class MethodWiringTest {
    static final VitConfig SMALL = Presets.config("fmnist", VitConfig.LINEAR_PROBE, 3);

    /** A method that registers one tensor under block 0, lists it as trainable or not, and never uses it. */
    static MethodProvider unused(boolean listed) {
        return new MethodProvider() {
            @Override
            public Set<String> methods() {
                return Set.of(VitConfig.LINEAR_PROBE);
            }

            @Override
            public MethodHooks attach(VisionTransformer model, Generator g) {
                Variable extra = model.blocks.get(0).extendParameter("extra", Init.zeros(4));
                return new MethodHooks() {
                    @Override
                    public List<Variable> ownTensors() {
                        return listed ? List.of(extra) : List.of();
                    }
                };
            }
        };
    }

    @Test
    void everyMethodNameHasExactlyOneProvider() {
        assertEquals(Set.of("sparse-tuning", "token-sparsification", "linear-probe", "lora", "adaptformer", "kadaptation",
                "adapter", "vpt", "bitfit", "full"), Set.copyOf(MethodRegistry.INSTANCE.methods()));
    }

    @Test
    void aTensorTheMethodDoesNotListIsAnErrorNotSilentlyTrainable() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new VisionTransformer(SMALL, new Generator(0), unused(false)));
        assertTrue(e.getMessage().contains("blocks.0.extra"), e.getMessage());
    }

    @Test
    void theTrainableSetIsTheHeadAndWhatTheMethodLists() {
        VisionTransformer m = new VisionTransformer(SMALL, new Generator(0), unused(true)).freezeBackbone();
        assertEquals(Set.of("head.weight", "head.bias", "blocks.0.extra"), m.trainableNamed().keySet());
        VisionTransformer bitfit = new VisionTransformer(Presets.config("fmnist", VitConfig.BITFIT, 3), new Generator(0));
        assertTrue(bitfit.trainableNamed().keySet().stream().allMatch(k -> k.startsWith("head.") || k.endsWith(".bias")));
        assertTrue(bitfit.isTrainableName("blocks.3.mlp.fc1.bias"));
        assertFalse(bitfit.isTrainableName("blocks.3.mlp.fc1.weight"));
    }

    @Test
    void aTrainableTensorWithoutAGradientIsReportedNotWrittenAsZeros() {
        VisionTransformer m = new VisionTransformer(SMALL, new Generator(0), unused(true)).freezeBackbone();
        Tensor images = Tensor.randn(new Generator(1), 2, 1, 28, 28);
        Trace.Result r = Trace.record(m, images, Tensor.ofInts(new int[] {0, 2}, 2));
        assertEquals(List.of("blocks.0.extra"), r.noGradient());
        assertFalse(r.tensors().containsKey("grad.blocks.0.extra"));
        assertTrue(r.tensors().containsKey("grad.head.weight"));
    }
}
