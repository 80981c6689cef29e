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
}
