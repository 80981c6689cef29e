package org.sparsetuning.vit.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.flops.FlopCounter;
import org.sparsetuning.tensor.flops.FlopKind;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * The counter on a small 12-layer ViT (32 px, patch 8: 17 tokens; width 24), checked against SPEC A.9's
 * per-block formula at every keep rate of the SPEC table, with the token counts worked out by hand from
 * SPEC A.2's rule N' = 2 + ceil(ρ·(N−1)) (no change when ceil(ρ·(N−1)) = N−1).
 */
class FlopsTest {
    static final int DIM = 24;
    static final int CLASSES = 5;
    static final SpecFormula FORMULA = new SpecFormula(DIM, 4 * DIM, 16, 3 * 8 * 8, CLASSES);

    /** rho → tokens after layers 4, 7, 10 (by hand: e.g. 0.7: ceil(11.2)=12 → 14, ceil(9.1)=10 → 12, ceil(7.7)=8 → 10). */
    static final Map<Double, int[]> STAGES = Map.of(
            1.0, new int[] {17, 17, 17},     // ceil(16) = 16 = N−1: no sparsification
            0.9, new int[] {17, 17, 17},     // ceil(14.4) = 15: one token fused, N stays 2 + 15 = 17
            0.8, new int[] {15, 14, 13},     // ceil(12.8)=13, ceil(11.2)=12, ceil(10.4)=11
            0.7, new int[] {14, 12, 10},
            0.6, new int[] {12, 9, 7},       // ceil(9.6)=10, ceil(6.6)=7, ceil(4.8)=5
            0.5, new int[] {10, 7, 5});      // 8, ceil(4.5)=5, 3

    static VitConfig small(String method, double rho, int adapterDim) {
        return new VitConfig(32, 8, 3, DIM, 12, 2, 4.0, CLASSES, adapterDim, 1.0, rho, List.of(4, 7, 10), method,
                Fusion.SUM, "paper", List.of(1, 3), "linear");
    }

    static int[] tokens(double rho) {
        int[] s = STAGES.get(rho);
        return SpecFormula.twelveLayers(17, s[0], s[1], s[2]);
    }

    @Test
    void backboneWithTokenSparsificationMatchesTheFormulaAtEveryKeepRate() {
        for (double rho : STAGES.keySet()) {
            FlopReport r = Flops.count(small(VitConfig.TOKEN_SPARSIFICATION, rho, 4));
            assertEquals(FORMULA.total(tokens(rho), 0), r.flops(), "rho " + rho);
            assertEquals(CLASSES * DIM + CLASSES, r.trainableParameters(), "only the head trains");
            assertEquals(0, r.trainableExcludingHead());
        }
    }

    @Test
    void denseAdaptersMatchTheFormulaAtEveryKeepRateAndBottleneck() {
        for (double rho : STAGES.keySet()) {
            for (int d : new int[] {2, 4}) {
                FlopReport r = Flops.count(small(VitConfig.SPARSE_TUNING, rho, d));
                assertEquals(FORMULA.total(tokens(rho), d), r.flops(), "rho " + rho + ", d' " + d);
                assertEquals(FORMULA.denseAdapterParameters(d), r.trainableExcludingHead(), "d' " + d);
            }
        }
    }

    @Test
    void officialCodeAdaptersAndTheirBatchNormHeadMatchByHand() {
        // SPEC A.4: per token 24·64 + 64·32 + 32·64 + 96·64 + 64·24 multiply-adds, in every block on its output
        // tokens; the BN-linear head adds fvcore's eval batch norm, 1 flop per feature (affine=False).
        long perToken = 24 * 64 + 64 * 32 + 32 * 64 + 96 * 64 + 64 * 24;
        long perBlockParams = (24 * 64 + 64) + (64 * 32 + 32) + (32 * 64 + 64) + (96 * 64 + 64) + (64 * 24 + 24);
        for (double rho : new double[] {1.0, 0.7, 0.5}) {
            int[] t = tokens(rho);
            long adapters = 0;
            for (int n : t) {
                adapters += n * perToken;
            }
            FlopReport r = Flops.count(small(VitConfig.SPARSE_TUNING, rho, 4).withDenseMode("code", "bn-linear"));
            assertEquals(FORMULA.total(t, 0) + adapters + DIM, r.flops(), "rho " + rho);
            assertEquals((long) DIM, r.byKind().get(FlopKind.BATCH_NORM));
            assertEquals((long) DIM + DIM * CLASSES, r.byRegion().get("head"), "the BN-linear head is one part");
            assertNull(r.byRegion().get(""), "nothing counted outside the named parts");
            assertEquals(12 * perBlockParams, r.trainableExcludingHead());
        }
    }

    @Test
    void eachBlockIsChargedForItsOwnTokens() {
        FlopReport r = Flops.count(small(VitConfig.SPARSE_TUNING, 0.7, 4));
        int[] t = tokens(0.7);
        long n = 17;
        for (int i = 0; i < 12; i++) {
            assertEquals(FORMULA.block(i + 1, n, t[i], 4), r.byRegion().get("blocks." + i), "block " + i);
            n = t[i];
        }
        assertEquals(FORMULA.patchEmbed(), r.byRegion().get("patch_embed"));
        assertEquals(5L * 10 * DIM, r.byRegion().get("norm"), "final LN over all 10 remaining tokens");
        assertEquals((long) DIM * CLASSES, r.byRegion().get("head"));
        assertEquals(r.flops(), r.byRegion().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(r.flops(), r.byKind().get(FlopKind.MATMUL) + r.byKind().get(FlopKind.LAYER_NORM));
        assertEquals(0L, r.byKind().get(FlopKind.BATCH_NORM));
    }

    @Test
    void fusedTokensAreSeenButNotChargedAsFvcoreDoesNot() {
        // TS-only at 0.7: the fused token sums m = 16−12 = 4, then 13−10 = 3, then 11−8 = 3 rows of width D.
        FlopReport ts = Flops.count(small(VitConfig.TOKEN_SPARSIFICATION, 0.7, 4));
        assertEquals(10L * DIM, ts.byKind().get(FlopKind.WEIGHTED_SUM));
        // With adapters, earlier adapter outputs are re-sparsified too: inputs N−1 at layers 4, 7, 10 and N−3
        // at every layer from 4 on, each fusing that stage's m rows (4 at layers 4-6, 3 at 7-9, 3 at 10-12).
        FlopReport st = Flops.count(small(VitConfig.SPARSE_TUNING, 0.7, 4));
        long reSparsified = (2 + 1 + 1) * 4 + (2 + 1 + 1) * 3 + (2 + 1 + 1) * 3;
        assertEquals((10L + reSparsified) * DIM, st.byKind().get(FlopKind.WEIGHTED_SUM));
        assertEquals(0L, Flops.count(small(VitConfig.TOKEN_SPARSIFICATION, 1.0, 4)).byKind().get(FlopKind.WEIGHTED_SUM));
    }

    @Test
    void countingLeavesTheModelAsItWas() {
        VisionTransformer m = new VisionTransformer(small(VitConfig.SPARSE_TUNING, 0.7, 4), new Generator(3));
        assertTrue(m.isTraining());
        FlopReport r = Flops.count(m);
        assertTrue(m.isTraining(), "training mode restored");
        assertFalse(FlopCounter.active(), "no counter left open");
        assertEquals(m.parameterCount(), r.parameters());
        assertEquals(m.parameterCount(), r.trainableParameters(), "an unfrozen model trains everything");
        assertEquals(FORMULA.total(tokens(0.7), 4), r.flops(), "freezing does not change the forward pass");
    }
}
