package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures.Run;
import org.sparsetuning.train.Checkpoint;

/** train, eval, predict, visualize and compare end to end on small files made here (ImageFolder PNGs, CIFAR binary). */
class AppCommandsTest {
    @TempDir
    static Path dir;
    static Path config;
    static Path folder;
    static Run trained;

    @BeforeAll
    static void trainOnAnImageFolder() throws Exception {
        config = AppFixtures.config(dir);
        folder = AppFixtures.imageFolder(dir.resolve("shapes"), 8, 3);
        trained = AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder,
                "--out", dir.resolve("run").toString(), "--epochs", "3", "--batch-size", "8", "--lr", "1e-2",
                "--threads", "1", "--workers", "1");
    }

    @Test
    void trainWritesCheckpointsMetricsAndCurves() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("training sparse-tuning"), trained.out());
        assertTrue(trained.out().contains("best epoch"), trained.out());
        Path run = dir.resolve("run");
        for (String f : List.of("best/" + Checkpoint.WEIGHTS, "last/" + Checkpoint.STATE, "metrics.csv", "metrics.jsonl",
                "steps.jsonl", "curves.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 3 epochs");
        assertEquals(List.of("blue", "green", "red"), Checkpoint.classNames(run.resolve("best")), "ImageFolder sorts classes");
        assertTrue(trained.err().contains("no --backbone"), trained.err());
    }

    @Test
    void evalReportsAccuracyOnTheHeldOutFolder() {
        Run r = AppFixtures.run("eval", "--checkpoint", dir.resolve("run/best").toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("on 9 images of .*\\(test split\\): top-1 (\\d+\\.\\d+)%, top-5 100\\.00%").matcher(r.out());
        assertTrue(m.find(), r.out());
    }

    @Test
    void predictListsTheTopClassesWithProbabilities() throws Exception {
        Path img = AppFixtures.png(dir.resolve("loose").resolve("a.png"), 0, 24, 99);
        Run r = AppFixtures.run("predict", "--checkpoint", dir.resolve("run/best").toString(), "--top", "3", img.toString(),
                img.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size(), r.out());
        assertEquals(img.toString(), lines.get(0));
        double sum = 0;
        for (int i = 1; i <= 3; i++) {
            String[] parts = lines.get(i).trim().split("\\s+");
            assertEquals(i + ".", parts[0]);
            assertTrue(AppFixtures.CLASSES.contains(parts[1]), lines.get(i));
            sum += Double.parseDouble(parts[2]);
        }
        assertEquals(1.0, sum, 2e-3, "three classes: the probabilities add up to one");
    }

    @Test
    void visualizeDrawsFilesAndDataExamples() throws Exception {
        Path img = AppFixtures.png(dir.resolve("loose").resolve("b.png"), 2, 20, 98);
        Run r = AppFixtures.run("visualize", "--checkpoint", dir.resolve("run/best").toString(), "--out",
                dir.resolve("pics").toString(), img.toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage png = ImageIO.read(dir.resolve("pics").resolve("b.png").toFile());
        assertEquals(3 * 196 + 4 * 12, png.getWidth(), "input + layers 2 and 3");
        Run d = AppFixtures.run("visualize", "--checkpoint", dir.resolve("run/best").toString(), "--out",
                dir.resolve("pics2").toString(), "--data", "imagefolder:" + folder, "--count", "2");
        assertEquals(0, d.code(), d.err());
        try (var files = Files.list(dir.resolve("pics2"))) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".png")).count());
        }
    }

    @Test
    void trainAndEvalOnCifarBinary() throws Exception {
        Path cifar = AppFixtures.cifar10(dir.resolve("cifar"), 12, 6);
        Path out = dir.resolve("cifar-run");
        Run r = AppFixtures.run("train", "--config", config.toString(), "--method", "lora", "--data", "cifar10:" + cifar,
                "--out", out.toString(), "--epochs", "1", "--batch-size", "6", "--accumulate", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals("lora", Checkpoint.config(out.resolve("best")).method());
        assertEquals(10, Checkpoint.config(out.resolve("best")).numClasses(), "CIFAR-10's ten classes");
        Run e = AppFixtures.run("eval", "--checkpoint", out.resolve("best").toString(), "--split", "train");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("on 12 images"), e.out());
    }

    @Test
    void compareTrainsEachMethodAndPrintsTheTable() throws Exception {
        Path out = dir.resolve("cmp");
        Run r = AppFixtures.run("compare", "--config", config.toString(), "--methods", "sparse-tuning,linear-probe",
                "--data", "imagefolder:" + folder, "--val-fraction", "0.25", "--epochs", "1", "--batch-size", "6",
                "--out", out.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().filter(l -> l.startsWith("sparse-tuning") || l.startsWith("linear-probe")).toList();
        assertEquals(2, rows.size(), r.out());
        assertTrue(r.out().contains("18 training, 6 validation, 9 test images"), r.out());
        String[] st = rows.get(0).trim().split("\\s+");
        String[] lp = rows.get(1).trim().split("\\s+");
        // linear probe trains the head only (16·3 + 3); Sparse-Tuning adds Dense Adapters.
        assertEquals("51", lp[2]);
        assertTrue(Long.parseLong(st[2].replace(",", "")) > 51);
        // The config was made for Sparse-Tuning (TS at layers 2, 3, rho 0.5): linear probe, a baseline, runs dense, and
        // compare says which methods sparsify. (It once ran the baselines with the config's TS, silently.)
        assertTrue(r.out().contains("Token Sparsification per method:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+sparse-tuning\\s+rho 0.5 at layers \\[2, 3\\]")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+linear-probe\\s+none \\(dense\\)")), r.out());
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        double stFlops = Double.parseDouble(csv.get(1).split(",")[5]);
        double lpFlops = Double.parseDouble(csv.get(2).split(",")[5]);
        assertTrue(stFlops < lpFlops, "the dense linear probe costs more than Sparse-Tuning at rho 0.5: " + csv);
        for (String f : List.of("table.txt", "compare.csv", "compare.json", "curves.png", "accuracy_vs_gflops.png",
                "sparse-tuning/best/weights.safetensors", "linear-probe/curves.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertFalse(r.out().contains("top-5"), "3 classes: top-5 left out of the table");
    }
}
