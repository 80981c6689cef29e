package org.sparsetuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.data.Batch;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/** A diverging run and an interrupted save both leave the last good checkpoint in place. */
class CheckpointSafetyTest {
    @TempDir
    Path tmp;

    /** The tiny data, except that from epoch {@code badEpoch} on every image is NaN. */
    record PoisonedFrom(TensorData data, int badEpoch) implements TrainingData {
        @Override
        public int size() {
            return data.size();
        }

        @Override
        public List<String> classNames() {
            return data.classNames();
        }

        @Override
        public String source() {
            return "poisoned";
        }

        @Override
        public BatchStream shuffled(int epoch, int first, int batchSize, long seed) {
            BatchStream s = data.shuffled(epoch, first, batchSize, seed);
            return new BatchStream() {
                @Override
                public boolean hasNext() {
                    return s.hasNext();
                }

                @Override
                public Batch next() {
                    Batch b = s.next();
                    return epoch < badEpoch ? b : new Batch(b.images().fill(Double.NaN), b.labels(), b.indices());
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public BatchStream inOrder(int batchSize) {
            return data.inOrder(batchSize);
        }
    }

    @Test
    void aNanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.SPARSE_TUNING));
        CheckpointStore store = new CheckpointStore(tmp);
        byte[][] afterEpoch1 = new byte[2][];
        TrainListener snapshot = new TrainListener() {
            @Override
            public void epoch(EpochMetrics m, boolean best) {
                try {
                    afterEpoch1[0] = Files.readAllBytes(store.last().resolve(Checkpoint.WEIGHTS));
                    afterEpoch1[1] = Files.readAllBytes(store.last().resolve(Checkpoint.STATE));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        TrainOptions opts = TrainOptions.DEFAULTS.withEpochs(3).withBatch(4, 1);
        Trainer trainer = new Trainer(model, opts, new PoisonedFrom(TinySetup.data(8, 1), 1), null, store, snapshot);
        TrainingDiverged e = assertThrows(TrainingDiverged.class, trainer::run);
        assertTrue(e.getMessage().startsWith("the training loss became NaN at epoch 2, step 3"), e.getMessage());
        assertTrue(e.getMessage().contains("the last good checkpoint, " + store.last() + " (after epoch 1, step 2), is unchanged"),
                e.getMessage());
        assertArrayEquals(afterEpoch1[0], Files.readAllBytes(store.last().resolve(Checkpoint.WEIGHTS)));
        assertArrayEquals(afterEpoch1[1], Files.readAllBytes(store.last().resolve(Checkpoint.STATE)));
        for (Tensor t : SafetensorsReader.read(store.last().resolve(Checkpoint.WEIGHTS)).tensors().values()) {
            for (float v : t.toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void aSwapCutShortIsUndoneWhenTheStoreOpens() throws Exception {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.LINEAR_PROBE));
        CheckpointStore store = new CheckpointStore(tmp);
        new Trainer(model, TrainOptions.DEFAULTS.withEpochs(1).withBatch(4, 1), TinySetup.data(8, 1), null, store, null).run();
        byte[] weights = Files.readAllBytes(store.last().resolve(Checkpoint.WEIGHTS));
        // The moment between the two renames: the old checkpoint set aside, the new one half written.
        Files.move(store.last(), tmp.resolve(".last.old"));
        Files.createDirectories(tmp.resolve(".last.new"));
        Files.write(tmp.resolve(".last.new").resolve(Checkpoint.WEIGHTS), Arrays.copyOf(weights, 10));
        CheckpointStore reopened = new CheckpointStore(tmp);
        assertArrayEquals(weights, Files.readAllBytes(reopened.last().resolve(Checkpoint.WEIGHTS)));
        assertFalse(Files.exists(tmp.resolve(".last.new")));
        assertFalse(Files.exists(tmp.resolve(".last.old")));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary files left");
        }
    }

    @Test
    void aDirectoryWithoutStateIsNotACheckpoint() throws Exception {
        Files.createDirectories(tmp.resolve("x"));
        Files.writeString(tmp.resolve("x").resolve(Checkpoint.CONFIG), "{}");
        Exception e = assertThrows(java.nio.file.NoSuchFileException.class, () -> Checkpoint.config(tmp.resolve("x")));
        assertTrue(e.getMessage().contains("not a checkpoint directory (no state.json)"), e.getMessage());
    }

    /** A checkpoint folder with every file, the given state.json, and placeholder tensors (not read here). */
    private Path withState(String name, String state) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of(Checkpoint.CONFIG, Checkpoint.WEIGHTS)) {
            Files.writeString(dir.resolve(f), "{}");
        }
        Files.writeString(dir.resolve(Checkpoint.STATE), state);
        return dir;
    }

    /** An empty state.json was read as no object: resuming failed in a NullPointerException's words. */
    @Test
    void aStateThatIsNotAnObjectIsNamed() throws Exception {
        Path empty = withState("empty", "");
        Exception e = assertThrows(IOException.class, () -> Checkpoint.options(empty));
        assertEquals(empty.resolve(Checkpoint.STATE) + ": checkpoint state must be a JSON object, got an empty file", e.getMessage());
        Path array = withState("array", "[1, 2]");
        e = assertThrows(IOException.class, () -> Checkpoint.state(array));
        assertEquals(array.resolve(Checkpoint.STATE) + ": checkpoint state must be a JSON object, got array", e.getMessage());
    }

    /** eval and predict read the seed from the options: a bad field said "field 'epochs' is missing", not where. */
    @Test
    void badOptionsNameTheStateFile() throws Exception {
        Path none = withState("none", "{\"epoch\": 1}");
        Exception e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.options(none));
        assertEquals(none.resolve(Checkpoint.STATE) + ": field 'options' is missing or not an object", e.getMessage());
        Path partial = withState("partial", "{\"options\": {\"epochs\": 1}}");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.options(partial));
        assertEquals(partial.resolve(Checkpoint.STATE) + ": options: field 'batch_size' is missing", e.getMessage());
    }

    /** --lr Infinity passed (only NaN and <= 0 were refused). */
    @Test
    void anInfiniteLearningRateIsRefused() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> TrainOptions.DEFAULTS.withLr(Double.POSITIVE_INFINITY, 1e-5, 0));
        assertEquals("need 0 <= min lr <= lr and lr > 0, both finite, got lr Infinity, min lr 1.0E-5", e.getMessage());
    }

    /** class_names as a string was read as no names: predictions said "class 0" without a word. */
    @Test
    void classNamesMustBeAnArrayOfStrings() throws Exception {
        Path text = withState("text", "{\"class_names\": \"cat,dog\"}");
        Exception e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.classNames(text));
        assertEquals(text.resolve(Checkpoint.STATE) + ": field 'class_names' must be an array of names, got string", e.getMessage());
        Path numbers = withState("numbers", "{\"class_names\": [\"cat\", 3]}");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.classNames(numbers));
        assertEquals(numbers.resolve(Checkpoint.STATE) + ": field 'class_names' must hold strings, got 3", e.getMessage());
        assertEquals(List.of("cat", "dog"), Checkpoint.classNames(withState("good", "{\"class_names\": [\"cat\", \"dog\"]}")));
    }
}
