package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures.Run;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Every method runs as its name promises, from every entry point (--model, --config, compare, flops). */
class ModelOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "probe")
    static final class Probe {
        @Mixin
        ModelOptions model;
    }

    static ModelOptions parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.model;
    }

    @Test
    void aConfigMadeForSparseTuningDoesNotSparsifyTheBaselines() throws Exception {
        Path c = AppFixtures.config(dir);   // sparse-tuning, keep_rate 0.5, ts_layers [2, 3], adapter_dim 4
        ModelOptions o = parse("--config", c.toString());
        assertEquals(List.of(2, 3), o.config(VitConfig.SPARSE_TUNING, 3).tsLayers(), "the config's own method");
        // (KAdaptation's default n 32 does not divide this config's width 16; --kadapt-n 4 does.)
        assertFalse(parse("--config", c.toString(), "--kadapt-n", "4").config("kadaptation", 3).sparsifies());
        for (String m : List.of("lora", "full", "linear-probe", "adaptformer", "bitfit", "vpt", "adapter")) {
            VitConfig b = o.config(m, 3);
            assertFalse(b.sparsifies(), m + " must run dense");
            assertEquals(16, b.embedDim(), m + " keeps the config's architecture");
        }
        assertEquals(64, o.config("adaptformer", 3).adapterDim(), "adapter_dim 4 was Sparse-Tuning's");
        ModelOptions asked = parse("--config", c.toString(), "--keep-rate", "0.6");
        VitConfig lora = asked.config("lora", 3);
        assertEquals(List.of(List.of(2, 3), 0.6), List.of(lora.tsLayers(), lora.keepRate()),
                "asked for on the command line, a baseline sparsifies at the config's layers");
    }

    @Test
    void defaultsAreTheSameThroughAPresetAndAJsonConfig() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String m : List.of("adaptformer", "adapter", "lora", "kadaptation", "vpt", "bitfit", "full", "sparse-tuning")) {
            VitConfig preset = parse("--model", "vit-b", "--method", m).config(10);
            VitConfig file = ConfigJson.parse(json.readTree("{\"method\": \"" + m + "\", \"num_classes\": 10}"));
            assertEquals(file, preset, m);
        }
        VitConfig af = parse("--model", "vit-b", "--method", "adaptformer").config(10);
        assertEquals(List.of(64, 0.1), List.of(af.adapterDim(), af.adapterScale()), "AdaptFormer's own defaults");
        VitConfig scaled = parse("--model", "vit-b", "--method", "adaptformer", "--adapter-scale", "0.5", "--adapter-dim", "16")
                .config(10);
        assertEquals(List.of(16, 0.5), List.of(scaled.adapterDim(), scaled.adapterScale()));
        VitConfig lora = parse("--method", "lora", "--lora-rank", "8").config(10);
        assertEquals(List.of(8, 16.0), List.of(lora.options().loraRank(), lora.options().loraAlpha()), "alpha 2 x r");
        assertEquals(12.0, parse("--method", "lora", "--lora-alpha", "12").config(10).options().loraAlpha());
        assertEquals(3, parse("--method", "vpt", "--vpt-tokens", "3").config(10).options().vptTokens());
    }

    @Test
    void vptBuildsFromEveryPreset() throws Exception {
        for (String preset : List.of("vit-ti", "vit-s", "vit-b", "vit-l", "fmnist")) {
            assertFalse(parse("--model", preset, "--method", "vpt").config(5).sparsifies(), preset);
        }
    }

    @Test
    void flopsPrintsBaselinesDenseUnlessAKeepRateIsAsked() {
        Run r = AppFixtures.run("flops", "--model", "vit-ti", "--classes", "10", "--method", "adaptformer,lora,vpt,sparse-tuning");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().skip(2).toList();
        for (String m : List.of("adaptformer", "lora", "vpt")) {
            List<String> mine = rows.stream().filter(l -> l.split("\\s+")[1].equals(m)).toList();
            assertEquals(1, mine.size(), m + ": " + r.out());
            assertTrue(mine.get(0).startsWith("dense"), mine.get(0));
        }
        assertTrue(rows.stream().filter(l -> l.contains(" adaptformer ")).allMatch(l -> l.split("\\s+")[2].equals("64")),
                "AdaptFormer's own d' 64: " + r.out());
        assertEquals(6, rows.stream().filter(l -> l.contains(" sparse-tuning ")).count(), "Sparse-Tuning at six keep rates");
        Run asked = AppFixtures.run("flops", "--model", "vit-ti", "--method", "lora", "--keep-rate", "0.6");
        assertEquals(0, asked.code(), asked.err());
        assertTrue(asked.out().lines().anyMatch(l -> l.startsWith("0.6") && l.contains(" lora ")), asked.out());
        Run vpt = AppFixtures.run("flops", "--model", "vit-b", "--method", "vpt");
        assertEquals(0, vpt.code(), vpt.err());
    }
}
