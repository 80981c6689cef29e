package org.sparsetuning.vit.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * FLOPs of a clip model (SPEC H) counted from the executed pass equal the per-block formula with ViT-B/16's
 * 8-frame token counts: 784 tubelet tokens + CLS, and 551, 387, 273 after TS at rho 0.7 (k = ceil(0.7·784) = 549,
 * then 385, 271, each plus CLS and the fused token). A narrow width keeps the 785-token pass cheap; the formula
 * is exact in the width.
 */
class ClipFlopsTest {
    static VitConfig narrowB16Clip(double rho, String method) {
        return new VitConfig(224, 16, 3, 12, 12, 2, 2.0, 4, 4, 1.0, rho, List.of(4, 7, 10), method, Fusion.SUM,
                "paper", List.of(1, 3), "linear").withClip(8, 2);
    }

    @Test
    void eightFramesInTubeletsOfTwoAtEveryStage() {
        SpecFormula f = new SpecFormula(12, 24, 784, 3 * 2 * 16 * 16, 4);
        int[] dense = SpecFormula.twelveLayers(785, 785, 785, 785);
        int[] sparse = SpecFormula.twelveLayers(785, 551, 387, 273);
        assertEquals(f.total(dense, 0), Flops.count(narrowB16Clip(1.0, VitConfig.TOKEN_SPARSIFICATION)).flops());
        VisionTransformer st = new VisionTransformer(narrowB16Clip(0.7, VitConfig.SPARSE_TUNING), new Generator(0));
        assertEquals(f.total(sparse, 4), Flops.count(st.freezeBackbone()).flops());
        Map<Integer, int[][]> kept = st.lastTokens().keptByLayer();
        assertEquals(List.of(549, 385, 271), List.of(kept.get(4)[0].length, kept.get(7)[0].length, kept.get(10)[0].length));
    }
}
