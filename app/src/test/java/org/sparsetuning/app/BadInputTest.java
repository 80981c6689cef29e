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

    /** A model flag with a value the configuration refuses: the flag and value first, then the field's rule. */
    @Test
    void badModelFlagsAreNamed() {
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                dir.resolve("kr").toString(), "--keep-rate", "1.5"), 1, "--keep-rate 1.5: keep_rate must be in (0, 1]");
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                dir.resolve("ad").toString(), "--adapter-dim", "0"), 1, "--adapter-dim 0: adapter_dim must be positive, got 0");
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                dir.resolve("ts").toString(), "--ts-layers", "2,99"), 1, "--ts-layers 2,99: ts_layers");
    }

    /** One class folder: a softmax over one class has loss 0 whatever the weights, so there is nothing to train. */
    @Test
    void oneClassIsRefusedBeforeTraining() throws Exception {
        Path one = dir.resolve("one");
        AppFixtures.png(one.resolve("train/cat/a.png"), 0, 20, 1);
        AppFixtures.png(one.resolve("val/cat/a.png"), 0, 20, 2);
        String expected = "--data imagefolder:" + one + ": the training data have 1 class ('cat'); a classifier needs at least 2 "
                + "(one sub-folder per class)";
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + one, "--out",
                dir.resolve("one-out").toString()), 1, expected);
        assertOneLine(AppFixtures.run("compare", "--config", config.toString(), "--data", "imagefolder:" + one,
                "--out", dir.resolve("one-cmp").toString()), 1, expected);
        assertFalse(Files.exists(dir.resolve("one-out").resolve("best")));
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

    /** A .npz holding one .npy whose header declares {@code shape} over four data bytes. */
    private static byte[] npzDeclaring(String shape) throws java.io.IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        java.io.ByteArrayOutputStream npy = new java.io.ByteArrayOutputStream();
        npy.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        npy.write(header.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        npy.write(new byte[4]);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(zip)) {
            z.putNextEntry(new java.util.zip.ZipEntry("cls.npy"));
            z.write(npy.toByteArray());
            z.closeEntry();
        }
        return zip.toByteArray();
    }

    /** Found by fuzzing: a small .npz declaring 2^31-1 floats ended in OutOfMemoryError and a 22-line stack trace. */
    @Test
    void aSmallNpzDeclaringAHugeArrayIsOneLine() throws Exception {
        Path bb = Files.write(dir.resolve("huge.npz"), npzDeclaring("(2147483647,)"));
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--backbone", bb.toString(), "--data",
                "imagefolder:" + folder), 1, bb + ": key 'cls': shape [2147483647] of F32 needs 8589934588 data bytes, but 4 follow");
    }

    /** Found by fuzzing: a cut-off .npz ended as "error: EOFException", naming neither the file nor the problem. */
    @Test
    void aTruncatedNpzIsOneLineNamingTheFile() throws Exception {
        byte[] whole = npzDeclaring("(1,)");
        Path bb = Files.write(dir.resolve("cut.npz"), java.util.Arrays.copyOf(whole, whole.length - 30));
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--backbone", bb.toString(), "--data",
                "imagefolder:" + folder), 1, bb + ": not a readable zip archive");
    }

    /** Found by fuzzing: a BMP header claiming 134 M x 12 pixels exhausted the heap. */
    @Test
    void anImageDeclaringTooManyPixelsIsOneLine() throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(14 + 40 + 1024 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(b.capacity()).putInt(0).putInt(14 + 40 + 1024);
        b.putInt(40).putInt(134_217_728).putInt(12).putShort((short) 1).putShort((short) 8).putInt(1).putInt(4)
                .putInt(2835).putInt(2835).putInt(256).putInt(0);
        b.position(b.capacity() - 4);
        b.put(new byte[] {2, 7, 0, 1});
        Path img = Files.write(dir.resolve("huge.bmp"), b.array());
        assertOneLine(AppFixtures.run("predict", "--checkpoint", ckpt.toString(), img.toString()), 1,
                img + ": the image header declares 134217728 x 12 = 1610612736 pixels, more than the limit");
    }

    /** --threads 100000 passed the check and failed in ForkJoinPool as "error: IllegalArgumentException". */
    @Test
    void moreThreadsThanAPoolTakesIsNamed() {
        assertOneLine(AppFixtures.run("eval", "--checkpoint", ckpt.toString(), "--threads", "100000"), 1,
                "--threads must be between 1 and 32767, got 100000");
    }

    /** --out naming a file failed after loading the data and model, as "error: FILE" and nothing else. */
    @Test
    void anOutputFolderThatIsAFileIsRefusedFirst() throws Exception {
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                config.toString(), "--epochs", "1"), 1, "--out " + config + ": exists and is not a folder");
        assertOneLine(AppFixtures.run("visualize", "--checkpoint", ckpt.toString(), "--out", config.toString(), "--data",
                "imagefolder:" + folder), 1, "--out " + config + ": exists and is not a folder");
        assertOneLine(AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + folder, "--out",
                config.resolve("run").toString(), "--epochs", "1"), 1, "--out " + config.resolve("run") + ": " + config + " is not a folder");
    }

    /** The JDK's file-system exceptions carry the bare path; ours put the explanation after it. */
    @Test
    void aBareFileSystemErrorSaysWhatWentWrong() {
        assertEquals("/x/out: permission denied", Main.describe(new java.nio.file.AccessDeniedException("/x/out")));
        assertEquals("/x/out: already exists", Main.describe(new java.nio.file.FileAlreadyExistsException("/x/out")));
        assertEquals("/x/a.png: image file not found", Main.describe(new java.nio.file.NoSuchFileException("/x/a.png: image file not found")));
    }

    /** An empty state.json: eval said "field 'epochs' is missing" (no file), train --resume a NullPointerException's text. */
    @Test
    void anEmptyStateFileIsNamed() throws Exception {
        Path broken = dir.resolve("empty-state");
        Files.createDirectories(broken);
        for (String f : new String[] {"weights.safetensors", "optimizer.safetensors", "config.json"}) {
            Files.copy(ckpt.resolve(f), broken.resolve(f));
        }
        Files.writeString(broken.resolve("state.json"), "");
        String want = broken.resolve("state.json") + ": checkpoint state must be a JSON object, got an empty file";
        assertOneLine(AppFixtures.run("eval", "--checkpoint", broken.toString()), 1, want);
        assertOneLine(AppFixtures.run("train", "--resume", broken.toString()), 1, want);
        Files.writeString(broken.resolve("state.json"), "{\"run\": {}}");
        assertOneLine(AppFixtures.run("eval", "--checkpoint", broken.toString()), 1,
                broken.resolve("state.json") + ": field 'options' is missing or not an object");
    }

    /** A config for a model far beyond the heap (ViT-B at depth 2000) ended in an OutOfMemoryError and its trace. */
    @Test
    void aModelBeyondTheHeapIsOneLine() throws Exception {
        Path deep = Files.writeString(dir.resolve("deep.json"), "{\"img_size\": 16, \"patch_size\": 4, \"depth\": 2000, "
                + "\"ts_layers\": [], \"num_classes\": 3}");
        Run r = AppFixtures.run("train", "--config", deep.toString(), "--data", "imagefolder:" + folder, "--out",
                dir.resolve("deep").toString(), "--epochs", "1");
        assertEquals(1, r.code(), r.err());
        String err = r.err().strip();
        assertTrue(err.lines().anyMatch(l -> l.startsWith("sparse-tune train: error: the model (embed_dim 768, depth 2000")
                && l.contains("backbone parameters")), err);
        assertFalse(err.contains("\tat ") || err.contains("OutOfMemoryError"), err);
    }
    /** A run out of heap: one line saying so, with the heap's size and what to change; the trace only with --debug. */
    @Test
    void outOfMemoryIsOneLine() {
        java.io.StringWriter text = new java.io.StringWriter();
        assertEquals(1, Main.outOfMemory(new OutOfMemoryError("Java heap space"), false, new java.io.PrintWriter(text)));
        String err = text.toString().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("sparse-tune: error: out of memory (Java heap space) with a Java heap of at most "), err);
        assertTrue(err.contains("-Xmx") && err.contains("--batch-size"), err);
        java.io.StringWriter trace = new java.io.StringWriter();
        Main.outOfMemory(new OutOfMemoryError("Java heap space"), true, new java.io.PrintWriter(trace));
        assertTrue(trace.toString().contains("\tat "), trace.toString());
    }
}
