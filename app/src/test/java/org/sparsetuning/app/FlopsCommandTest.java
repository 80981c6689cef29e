package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.sparsetuning.vit.flops.SpecFormula;
import org.sparsetuning.app.AppFixtures.Run;

class FlopsCommandTest {
    @Test
    void printsOneRowPerMethodWithGflopsAndParameters() {
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--classes", "10", "--keep-rate", "0.7", "--adapter-dim", "8");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("0.7")).toList();
        assertEquals(2, rows.size(), r.out());
        // ViT-Ti/16 (D 192, 197 tokens; 140, 100, 72 after TS at rho 0.7, SPEC A.2), head of 10 classes.
        SpecFormula f = new SpecFormula(192, 768, 196, 768, 10);
        int[] t = SpecFormula.twelveLayers(197, 140, 100, 72);
        String[] ts = rows.get(0).trim().split("\\s+");
        assertEquals(List.of("0.7", "token-sparsification", "-"), List.of(ts[0], ts[1], ts[2]));
        assertEquals(String.format(Locale.ROOT, "%.3f", f.total(t, 0) / 1e9), ts[3]);
        assertEquals("1,930", ts[5], "trainable: the head, 192·10 + 10");
        assertEquals("0", ts[6]);
        String[] st = rows.get(1).trim().split("\\s+");
        assertEquals(List.of("0.7", "sparse-tuning", "8"), List.of(st[0], st[1], st[2]));
        assertEquals(String.format(Locale.ROOT, "%.3f", f.total(t, 8) / 1e9), st[3]);
        assertEquals(String.format(Locale.ROOT, "%,d", f.denseAdapterParameters(8)), st[6]);
    }

    @Test
    void countsClipsFromTheExecutedPass() {
        // ViT-Ti/16 on 2 frames in one tubelet: 196 tokens as for an image, but each projected from 2·3·16·16 values.
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--classes", "10", "--keep-rate", "0.7", "--adapter-dim", "8",
                "--frames", "2", "--tubelet", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("vit-ti, 224 px, patch 16, 2 frames in tubelets of 2 (196 tokens + CLS)"), r.out());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("0.7")).toList();
        SpecFormula f = new SpecFormula(192, 768, 196, 1536, 10);
        int[] t = SpecFormula.twelveLayers(197, 140, 100, 72);
        assertEquals(String.format(Locale.ROOT, "%.3f", f.total(t, 0) / 1e9), rows.get(0).trim().split("\\s+")[3]);
        assertEquals(String.format(Locale.ROOT, "%.3f", f.total(t, 8) / 1e9), rows.get(1).trim().split("\\s+")[3]);
    }

    @Test
    void badClipFlagsAreOneClearLine() {
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--frames", "7");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--frames / --tubelet: num_frames 7 must be a multiple of tubelet_size 2"), r.err());
        Run alone = AppFixtures.run("flops", "--model", "vit-ti", "--tubelet", "4");
        assertEquals(1, alone.code());
        assertTrue(alone.err().contains("--tubelet applies to clips"), alone.err());
    }

    @Test
    void unknownPresetIsNamed() {
        Run r = AppFixtures.run("flops", "--model", "vit-h");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--model") && r.err().contains("vit-h"), r.err());
    }

    @Test
    void invalidKeepRateIsRejectedWithTheFlagBeforeAnyOutput() {
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--keep-rate", "0.7,1.5", "--method", "token-sparsification");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--keep-rate 1.5: keep_rate must be in (0, 1], got 1.5"), r.err());
        assertEquals("", r.out(), "no table header or rows before the error");
    }

    @Test
    void invalidAdapterDimIsRejectedWithTheFlag() {
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--adapter-dim", "0", "--method", "sparse-tuning");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--adapter-dim 0: adapter_dim must be positive, got 0"), r.err());
        assertEquals("", r.out());
    }
}
