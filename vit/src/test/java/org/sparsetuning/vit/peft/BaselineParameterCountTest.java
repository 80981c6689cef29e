package org.sparsetuning.vit.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Trainable tensors at ViT-B/16 (head excluded), counted on the real model tree: the numbers SPEC C.4 and
 * tools/torchref's self-checks give.
 */
class BaselineParameterCountTest {
    static long trainedBesidesHead(String method, MethodOptions o) {
        VisionTransformer m = BaselineFixtures.model(BaselineFixtures.vitB(method, o), 1);
        long n = 0;
        for (var e : m.trainableNamed().entrySet()) {
            if (!e.getKey().startsWith("head.")) {
                n += e.getValue().data().numel();
            }
        }
        assertEquals(n + 768 * 100 + 100, m.trainableParameterCount(), method + ": requiresGrad matches the trainable names");
        return n;
    }

    @Test
    void vitBCounts() {
        MethodOptions o = MethodOptions.DEFAULTS;
        assertEquals(147_456, trainedBesidesHead(VitConfig.LORA, o), "LoRA r 4 on q, v");
        assertEquals(50_176, trainedBesidesHead(VitConfig.KADAPTATION, o), "KAdaptation n 32, rank 1");
        assertEquals(1_189_632, trainedBesidesHead(VitConfig.ADAPTFORMER, o), "AdaptFormer d' 64");
        assertEquals(1_208_064, trainedBesidesHead(VitConfig.ADAPTER, o), "Adapter d' 64, one per block (SPEC C.4)");
        assertEquals(2_416_128, trainedBesidesHead(VitConfig.ADAPTER, o.withAdapterPlacement("houlsby")),
                "Adapter d' 64, Houlsby placement (two per block)");
        assertEquals(12 * 10 * 768, trainedBesidesHead(VitConfig.VPT, o), "VPT-deep, 10 prompts per layer");
        assertEquals(768 + 12 * (768 + 2304 + 768 + 768 + 3072 + 768) + 768, trainedBesidesHead(VitConfig.BITFIT, o),
                "BitFit: every backbone bias");
        assertEquals(85_798_656, trainedBesidesHead(VitConfig.FULL, o), "full fine-tuning: the ViT-B/16 backbone");
        assertEquals(0, trainedBesidesHead(VitConfig.LINEAR_PROBE, o), "linear probe: head only");
        assertEquals(0, trainedBesidesHead(VitConfig.TOKEN_SPARSIFICATION, o), "TS alone: head only");
    }

    @Test
    void codeModeDenseAdaptersCount() {
        VitConfig cfg = VitConfig.base(100).withDenseMode("code", "bn-linear");
        VisionTransformer m = BaselineFixtures.model(cfg, 1);
        long n = m.trainableParameterCount() - (768 * 100 + 100);
        assertEquals(1_314_432, n, "SPEC A.4: 109,536 per block");
        assertEquals(109_536, m.blocks.get(0).namedParameters().entrySet().stream()
                .filter(e -> e.getKey().startsWith("code_adapter.")).mapToLong(e -> e.getValue().data().numel()).sum());
    }
}
