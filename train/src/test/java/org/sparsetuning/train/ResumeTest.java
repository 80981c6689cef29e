package org.sparsetuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/** A run stopped and resumed from its checkpoint repeats an uninterrupted run exactly. */
class ResumeTest {
    @TempDir
    Path tmp;

    /** Stands for a crash: thrown by a listener once the run has reached a given point. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private final VitConfig cfg = TinySetup.config(VitConfig.SPARSE_TUNING);
    private final TensorData train = TinySetup.data(20, 1);
    private final TensorData eval = TinySetup.data(9, 2);
    /** 20 examples in batches of 6: 4 steps per epoch, the last one of 2 examples. */
    private final TrainOptions opts = TrainOptions.DEFAULTS.withEpochs(2).withBatch(6, 2).withLr(1e-2, 1e-4, 1)
            .withRegularisation(1e-2, 0.1).withSeed(5);

    private long resumedFrom;

    private VisionTransformer straight(Path dir, TrainOptions o) throws Exception {
        VisionTransformer model = TinySetup.model(cfg);
        CheckpointStore store = new CheckpointStore(dir);
        new Trainer(model, o, train, eval, store, new MetricsLog(dir)).run();
        return model;
    }

    private VisionTransformer interruptedThenResumed(Path dir, TrainOptions o, TrainListener crash) throws Exception {
        CheckpointStore store = new CheckpointStore(dir);
        MetricsLog log = new MetricsLog(dir);
        try {
            new Trainer(TinySetup.model(cfg), o, train, eval, store, TrainListener.all(List.of(log, crash))).run();
        } catch (Stop expected) {
            log.close();
        }
        resumedFrom = Checkpoint.state(store.last()).get("step").asLong();
        // A new process: a fresh model (same initial backbone), the checkpoint brings back everything else.
        VisionTransformer model = TinySetup.model(cfg);
        new Trainer(model, o, train, eval, new CheckpointStore(dir), new MetricsLog(dir)).resume(store.last());
        return model;
    }

    @Test
    void oneEpochThenResumeGivesTheSameLossesAsTwoStraight() throws Exception {
        VisionTransformer a = straight(tmp.resolve("a"), opts);
        VisionTransformer b = interruptedThenResumed(tmp.resolve("b"), opts, new TrainListener() {
            @Override
            public void epoch(EpochMetrics m, boolean best) {
                if (m.epoch() == 1) {
                    throw new Stop();
                }
            }
        });
        assertEquals(4, resumedFrom);
        assertSameRun(a, b);
    }

    @Test
    void resumingInsideAnEpochGivesTheSameLosses() throws Exception {
        TrainOptions o = opts.withSaveEvery(3);
        VisionTransformer a = straight(tmp.resolve("a"), o);
        // Saved at step 3 (inside epoch 1), at the end of epoch 1 (step 4) and at step 6 (inside epoch 2); the
        // crash comes after step 7 was logged, so the resumed run repeats step 7.
        VisionTransformer b = interruptedThenResumed(tmp.resolve("b"), o, new TrainListener() {
            @Override
            public void step(StepLog s) {
                if (s.step() == 7) {
                    throw new Stop();
                }
            }
        });
        assertEquals(6, resumedFrom);
        assertSameRun(a, b);
    }

    private void assertSameRun(VisionTransformer a, VisionTransformer b) throws Exception {
        List<double[]> sa = MetricsLog.readSteps(tmp.resolve("a"));
        List<double[]> sb = MetricsLog.readSteps(tmp.resolve("b"));
        assertEquals(8, sa.size());
        assertEquals(sa.size(), sb.size(), "one logged loss per step in both runs");
        for (int i = 0; i < sa.size(); i++) {
            assertEquals(sa.get(i)[0], sb.get(i)[0], "step numbers");
            assertEquals(Double.doubleToRawLongBits(sa.get(i)[1]), Double.doubleToRawLongBits(sb.get(i)[1]),
                    "loss of step " + (i + 1) + ": " + sa.get(i)[1] + " vs " + sb.get(i)[1]);
        }
        Map<String, Variable> pa = a.trainableNamed();
        pa.forEach((k, v) -> assertArrayEquals(v.data().toFloatArray(), b.trainableNamed().get(k).data().toFloatArray(), k));
        List<String> ea = Files.readAllLines(tmp.resolve("a").resolve(MetricsLog.EPOCHS_CSV));
        List<String> eb = Files.readAllLines(tmp.resolve("b").resolve(MetricsLog.EPOCHS_CSV));
        assertEquals(3, ea.size());
        for (int i = 1; i < ea.size(); i++) {
            // Everything but the throughput columns, which are timings.
            assertEquals(List.of(ea.get(i).split(",")).subList(0, 8), List.of(eb.get(i).split(",")).subList(0, 8));
        }
    }

    @Test
    void aCheckpointOfAnotherMethodIsRefusedByName() throws Exception {
        straight(tmp.resolve("a"), opts.withEpochs(1));
        VisionTransformer lora = TinySetup.model(cfg.withMethod(VitConfig.LORA));
        Trainer t = new Trainer(lora, opts.withEpochs(1), train, eval, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(tmp.resolve("a").resolve("last")));
        assertTrue(e.getMessage().contains("weights.safetensors") && e.getMessage().contains("is not a trainable tensor of this model"),
                e.getMessage());
    }

    @Test
    void otherTrainingOptionsAreRefused() throws Exception {
        straight(tmp.resolve("a"), opts.withEpochs(1));
        Trainer t = new Trainer(TinySetup.model(cfg), opts.withEpochs(1).withSeed(6), train, eval, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(tmp.resolve("a").resolve("last")));
        assertTrue(e.getMessage().contains("state.json: cannot resume: it was trained with"), e.getMessage());
    }

    /** Found by fuzzing: a state.json with a negative step, epoch or batch_in_epoch was accepted. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step", "epoch", "batch_in_epoch", "epoch_seen"})
    void negativeCountsInTheStateAreRefusedByField(String field) throws Exception {
        straight(tmp.resolve("a"), opts.withEpochs(1));
        Path state = tmp.resolve("a").resolve("last").resolve(Checkpoint.STATE);
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(state, "state");
        json.put(field, -3);
        Json.write(state, json);
        Trainer t = new Trainer(TinySetup.model(cfg), opts.withEpochs(1), train, eval, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(tmp.resolve("a").resolve("last")));
        assertEquals(state + ": cannot resume: field '" + field + "' must be >= 0, got -3", e.getMessage());
    }

    /** An epoch beyond the run's epochs was accepted: the resumed run "finished" at once and reported success. */
    @Test
    void anEpochBeyondTheRunIsRefused() throws Exception {
        straight(tmp.resolve("a"), opts.withEpochs(1));
        Path state = tmp.resolve("a").resolve("last").resolve(Checkpoint.STATE);
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(state, "state");
        json.put("epoch", 5);
        Json.write(state, json);
        Trainer t = new Trainer(TinySetup.model(cfg), opts.withEpochs(1), train, eval, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.resume(tmp.resolve("a").resolve("last")));
        assertEquals(state + ": cannot resume: field 'epoch' is 5, beyond the 1 epochs of the run", e.getMessage());
    }
}
