package org.sparsetuning.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

class TrainerTest {
    @TempDir
    Path tmp;

    @Test
    void lossFallsAndTheModelLearnsTheTinyTask() throws Exception {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.SPARSE_TUNING));
        TrainOptions opts = TrainOptions.DEFAULTS.withEpochs(6).withBatch(8, 1).withLr(1e-2, 1e-4, 1).withSeed(3);
        List<Double> losses = new ArrayList<>();
        TrainListener record = new TrainListener() {
            @Override
            public void step(StepLog s) {
                losses.add(s.loss());
            }
        };
        TrainResult r = new Trainer(model, opts, TinySetup.data(48, 1), TinySetup.data(30, 2), null, record).run();
        assertEquals(6, r.history().size());
        assertEquals(6 * 6, losses.size());
        double first = r.history().get(0).trainLoss();
        double last = r.last().trainLoss();
        assertTrue(last < 0.5 * first, "training loss " + first + " -> " + last);
        assertTrue(r.best().evalTop1() > 0.8, "top-1 on held-out examples: " + r.best().evalTop1());
        assertEquals(1.0, r.best().evalTop5(), "3 classes: top-5 is always a hit");
    }

    @Test
    void twoHalfBatchesAccumulateToOneFullBatchStep() throws Exception {
        VitConfig cfg = TinySetup.config(VitConfig.SPARSE_TUNING);
        TensorData data = TinySetup.data(12, 4);
        TrainOptions one = TrainOptions.DEFAULTS.withEpochs(1).withBatch(12, 1).withLr(1e-2, 1e-2, 0);
        VisionTransformer a = TinySetup.model(cfg);
        VisionTransformer b = TinySetup.model(cfg);
        double lossA = new Trainer(a, one, data, null, null, null).run().last().trainLoss();
        double lossB = new Trainer(b, one.withBatch(12, 2), data, null, null, null).run().last().trainLoss();
        assertEquals(lossA, lossB, 1e-6);
        Map<String, Variable> pa = a.trainableNamed();
        Map<String, Variable> pb = b.trainableNamed();
        int changed = 0;
        for (String name : pa.keySet()) {
            float[] wa = pa.get(name).data().toFloatArray();
            float[] wb = pb.get(name).data().toFloatArray();
            float[] w0 = TinySetup.model(cfg).trainableNamed().get(name).data().toFloatArray();
            for (int i = 0; i < wa.length; i++) {
                assertEquals(wa[i], wb[i], 2e-5, name + "[" + i + "]");
                changed += wa[i] != w0[i] ? 1 : 0;
            }
        }
        assertTrue(changed > 100, "the step moved the weights");
    }

    @Test
    void uncheckedHeadCountIsRefused() {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.SPARSE_TUNING).withMethod(VitConfig.LINEAR_PROBE));
        TensorData data = TinySetup.data(6, 1);
        TensorData four = new TensorData(data.batch(new int[] {0, 1, 2}).images(), new int[] {0, 1, 3},
                List.of("a", "b", "c", "d"), "four-classes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, TrainOptions.DEFAULTS, four, null, null, null));
        assertTrue(e.getMessage().contains("four-classes has 4 classes but the model's head has 3"), e.getMessage());
    }

    @Test
    void noCheckpointWithoutStoreAndFilesWithIt() throws Exception {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.LORA));
        CheckpointStore store = new CheckpointStore(tmp.resolve("run"));
        TrainOptions opts = TrainOptions.DEFAULTS.withEpochs(2).withBatch(8, 1);
        new Trainer(model, opts, TinySetup.data(16, 1), TinySetup.data(9, 2), store, new MetricsLog(store.dir())).run();
        for (String f : List.of(Checkpoint.WEIGHTS, Checkpoint.OPTIMIZER, Checkpoint.CONFIG, Checkpoint.STATE)) {
            assertTrue(Files.isRegularFile(store.last().resolve(f)), f);
            assertTrue(Files.isRegularFile(store.best().resolve(f)), f);
        }
        assertEquals(3, Files.readAllLines(store.dir().resolve(MetricsLog.EPOCHS_CSV)).size(), "header + 2 epochs");
        assertEquals(4, Files.readAllLines(store.dir().resolve(MetricsLog.STEPS_JSONL)).size());
        assertEquals(List.of("a", "b", "c"), Checkpoint.classNames(store.last()));
        assertEquals(model.cfg, Checkpoint.config(store.last()));
        VisionTransformer reloaded = TinySetup.model(Checkpoint.config(store.last()));
        Checkpoint.loadWeights(store.last(), reloaded);
        model.trainableNamed().forEach((k, v) -> assertArrayEquals(v.data().toFloatArray(),
                reloaded.trainableNamed().get(k).data().toFloatArray(), k));
    }
}
