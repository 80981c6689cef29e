package org.sparsetuning.vit.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * ViT-B/16 at 224 px with a 100-class head: SPEC A.9's whole GFLOPs table (every keep rate; backbone with TS
 * only, paper Dense Adapters d' 32 and 8, the official code's adapters) to the printed precision, each entry
 * also exactly equal to the per-block formula with SPEC A.2's token counts; and SPEC B.1's parameter counts.
 */
class VitBFlopsTest {
    static final SpecFormula B16 = new SpecFormula(768, 3072, 196, 768, 100);
    /** Multiply-adds per token of the official code's adapter (SPEC A.4: 768→64→32→64, [32|64]→64, 64→768). */
    static final long CODE_ADAPTER_PER_TOKEN = 768 * 64 + 64 * 32 + 32 * 64 + 96 * 64 + 64 * 768;

    /** SPEC A.9: rho, backbone only, + paper DA d'=32, + paper DA d'=8, + code adapter; then SPEC A.2's tokens after 4, 7, 10. */
    static final Object[][] TABLE = {
        {1.0, "17.582", "17.795", "17.635", "17.839", new int[] {197, 197, 197}},
        {0.9, "15.411", "15.594", "15.457", "15.635", new int[] {179, 163, 148}},
        {0.8, "13.340", "13.495", "13.379", "13.533", new int[] {159, 129, 105}},
        {0.7, "11.622", "11.753", "11.654", "11.788", new int[] {140, 100, 72}},
        {0.6, "10.098", "10.208", "10.126", "10.241", new int[] {120, 74, 46}},
        {0.5, "8.828", "8.920", "8.851", "8.951", new int[] {100, 52, 28}},
    };

    static String printed(long flops) {
        return String.format(Locale.ROOT, "%.3f", flops / 1e9);
    }

    @Test
    void theSpecTableAtEveryKeepRate() {
        List<String> mismatches = new ArrayList<>();
        for (Object[] row : TABLE) {
            double rho = (double) row[0];
            int[] s = (int[]) row[5];
            int[] tokens = SpecFormula.twelveLayers(197, s[0], s[1], s[2]);
            long codeAdapters = 0;
            for (int n : tokens) {
                codeAdapters += n * CODE_ADAPTER_PER_TOKEN;
            }
            VitConfig base = VitConfig.base(100).withKeepRate(rho);
            long[] expected = {B16.total(tokens, 0), B16.total(tokens, 32), B16.total(tokens, 8),
                B16.total(tokens, 0) + codeAdapters + 768};                   // + the BN head: 1 flop per feature
            VitConfig[] configs = {base.withMethod(VitConfig.TOKEN_SPARSIFICATION), base.withAdapterDim(32),
                base.withAdapterDim(8), base.withDenseMode("code", "bn-linear")};
            for (int c = 0; c < 4; c++) {
                FlopReport r = Flops.count(configs[c]);
                String what = "rho " + rho + " column " + (c + 1);
                assertEquals(expected[c], r.flops(), what + ": counted vs the per-block formula");
                if (!printed(r.flops()).equals(row[c + 1])) {
                    mismatches.add(what + ": " + printed(r.flops()) + " != SPEC " + row[c + 1]);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void parameterCountsOfSpecB1() {
        FlopReport d32 = Flops.count(VitConfig.base(100).withKeepRate(0.7).withAdapterDim(32));
        assertEquals(1_091_584, d32.trainableExcludingHead());
        assertEquals(76_900, d32.headParameters(), "768·100 + 100");
        assertEquals(B16.denseAdapterParameters(32), d32.trainableExcludingHead());
        VisionTransformer d8 = new VisionTransformer(VitConfig.base(100).withAdapterDim(8), new Generator(0)).freezeBackbone();
        assertEquals(279_808, d8.trainableParameterCount() - 76_900);
        VisionTransformer code = new VisionTransformer(VitConfig.base(100).withDenseMode("code", "bn-linear"),
                new Generator(0)).freezeBackbone();
        assertEquals(1_314_432, code.trainableParameterCount() - 76_900);
    }
}
