package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.app.AppFixtures.Run;

/** Wrong flags, missing files, checkpoints that do not fit: one line naming the problem, a non-zero exit, no trace. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path config;
    static Path folder;
    static Path ckpt;

    @BeforeAll
    static void oneTinyRun() throws Exception {
        config = AppFixtures.config(dir);
        folder = AppFixtures.imageFolder(dir.resolve("data"), 2, 1);
        Run r = AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                dir.resolve("run").toString(), "--epochs", "1", "--batch-size", "6", "--eval-data", "none");
        assertEquals(0, r.code(), r.err());
        ckpt = dir.resolve("run").resolve("best");
    }

    /** The error is one line, names what it should, and has no stack trace. */
    private static void assertOneLine(Run r, int code, String... mentions) {
        assertEquals(code, r.code(), r.out() + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("sparse-tune "), err);
        for (String m : mentions) {
            assertTrue(err.contains(m), "'" + m + "' in: " + err);
        }
        assertFalse(err.contains("\tat "), err);
    }

    @Test
    void unknownFlag() {
        assertOneLine(AppFixtures.run("train", "--bogus"), 2, "Unknown option: '--bogus'", "sparse-tune train --help");
    }

    @Test
    void badNumber() {
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--batch-size", "many"), 2, "--batch-size", "many");
    }

    @Test
    void missingDataFolder() {
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + dir.resolve("nope"),
                "--out", dir.resolve("o").toString()), 1, "data folder not found", "nope");
    }

    @Test
    void unknownDataKind() {
        assertOneLine(AppFixtures.run("train", "--data", "svhn:/x", "--out", dir.resolve("o").toString()), 1,
                "--data must be KIND:PATH", "svhn:/x");
    }

    @Test
    void compareRefusesAValidationFractionOutsideZeroToOne() {
        assertOneLine(AppFixtures.run("compare", "--config", config.toString(), "--data", "imagefolder:" + folder,
                "--val-fraction", "1.5", "--out", dir.resolve("c").toString()), 1, "--val-fraction must be in [0, 1), got 1.5");
        assertOneLine(AppFixtures.run("compare", "--config", config.toString(), "--data", "imagefolder:" + folder,
                "--methods", "sparse-tuning,dora", "--out", dir.resolve("c").toString()), 1, "method must be one of", "dora");
    }

    @Test
    void missingConfigFile() {
        assertOneLine(AppFixtures.run("train", "--config", dir.resolve("none.json").toString(), "--data", "imagefolder:" + folder,
                "--out", dir.resolve("o").toString()), 1, "none.json", "config file not found");
    }

    @Test
    void missingCheckpoint() {
        assertOneLine(AppFixtures.run("eval", "--checkpoint", dir.resolve("gone").toString()), 1,
                "checkpoint directory not found", "gone");
    }

    @Test
    void missingImage() {
        assertOneLine(AppFixtures.run("predict", "--checkpoint", ckpt.toString(), dir.resolve("x.png").toString()), 1,
                "x.png", "image file not found");
    }

    @Test
    void backboneOfAnotherWidthDoesNotFit() throws Exception {
        Path bb = dir.resolve("wide.safetensors");
        SafetensorsWriter.writeFile(bb, Map.of("cls_token", Tensor.zeros(1, 1, 32)));
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--backbone", bb.toString(), "--data",
                "imagefolder:" + folder), 1, "wide.safetensors");
    }

    @Test
    void weightsOfAnotherMethodDoNotFit() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        for (String f : new String[] {"weights.safetensors", "optimizer.safetensors", "state.json"}) {
            Files.copy(ckpt.resolve(f), other.resolve(f));
        }
        Files.writeString(other.resolve("config.json"), Files.readString(ckpt.resolve("config.json"))
                .replace("\"sparse-tuning\"", "\"lora\""));
        assertOneLine(AppFixtures.run("eval", "--checkpoint", other.toString(), "--data", "imagefolder:" + folder), 1,
                "weights.safetensors", "is not a trainable tensor of this model (method lora)");
    }

    @Test
    void anUnavailableDeviceIsNamedWithTheReason() {
        // The vit module's tests run without the opencl-kernels provider on the class path.
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--device", "opencl:1"), 1,
                "device 'opencl:1': no provider for kind 'opencl'");
        // One parser of device specs (tensor's Devices): its messages, named by the flag where the spec is malformed.
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--device", "tpu"), 1,
                "unknown kind 'tpu'; expected cpu or opencl[:N]");
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--device", "opencl:x"), 1,
                "--device opencl:x", "non-negative integer");
    }

    @Test
    void visualizingADenseModelIsRefused() throws Exception {
        Run r = AppFixtures.run("train", "--config", config.toString(), "--method", "full", "--keep-rate", "1",
                "--data", "imagefolder:" + folder,
                "--out", dir.resolve("dense").toString(), "--epochs", "1", "--batch-size", "6", "--eval-data", "none");
        assertEquals(0, r.code(), r.err());
        assertOneLine(AppFixtures.run("visualize", "--checkpoint", dir.resolve("dense/best").toString(), "--out",
                dir.resolve("v").toString(), "--data", "imagefolder:" + folder), 1, "nothing to visualise");
    }

    @Test
    void missingFashionMnistSaysHowToInstallIt() {
        assertOneLine(AppFixtures.run("main", "--data-dir", dir.resolve("fm").toString()), 1, "Fashion-MNIST not found",
                "apt-get install dataset-fashion-mnist");
    }

    @Test
    void debugShowsTheStackTrace() {
        Run r = AppFixtures.run("eval", "--debug", "--checkpoint", dir.resolve("gone").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"train", "eval", "predict", "visualize", "compare", "main", "demo", "trace", "flops"}) {
            Run r = AppFixtures.run(c, "--help");
            assertEquals(0, r.code(), c);
            assertTrue(r.out().startsWith("Usage: sparse-tune " + (c.equals("demo") ? "main" : c)), c + ": " + r.out());
        }
    }
}
