package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.nn.optim.WarmupCosine;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Batch;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * Fine-tunes a model's trainable tensors (what {@link VisionTransformer#freezeBackbone()} left trainable) with
 * AdamW, warm-up + cosine and optional gradient accumulation; evaluates after every epoch, keeps the last and the
 * best checkpoint, and stops on a non-finite loss before anything is saved.
 *
 * <p>Everything a step depends on is a function of the saved state: the batches of an epoch depend on (seed, epoch)
 * alone ({@link TrainingData}), the learning rate on the step, and the model has no dropout; so a run resumed from
 * a checkpoint at (epoch, batch) repeats the losses of an uninterrupted one bit for bit.
 */
public final class Trainer {
    private final VisionTransformer model;
    private final TrainOptions opts;
    private final TrainingData train;
    private final TrainingData eval;
    private final CheckpointStore store;
    private final TrainListener listener;
    private final AdamW optimizer;
    private final WarmupCosine schedule;
    private final int stepsPerEpoch;
    private final Map<String, String> runInfo = new LinkedHashMap<>();
    private final List<Variable> params;
    private GradientSync sync;
    private String lastSaved;

    /**
     * @param eval evaluated after each epoch (the best checkpoint follows its top-1), or null
     * @param store where checkpoints go, or null for none
     */
    public Trainer(VisionTransformer model, TrainOptions opts, TrainingData train, TrainingData eval, CheckpointStore store,
            TrainListener listener) {
        if (train.size() == 0) {
            throw new IllegalArgumentException(train.source() + ": no training examples");
        }
        Evaluator.checkClasses(model, train);
        if (eval != null) {
            Evaluator.checkClasses(model, eval);
        }
        List<Variable> params = new ArrayList<>(model.trainableNamed().values());
        for (Variable p : params) {
            if (!p.requiresGrad()) {
                throw new IllegalStateException("the model's trainable tensors do not require gradients: call freezeBackbone() first");
            }
        }
        this.model = model;
        this.opts = opts;
        this.train = train;
        this.eval = eval;
        this.store = store;
        this.listener = listener == null ? TrainListener.NONE : listener;
        this.params = params;
        this.optimizer = new AdamW(params, opts.lr(), opts.weightDecay());
        this.stepsPerEpoch = opts.stepsPerEpoch(train.size());
        long total = (long) stepsPerEpoch * opts.epochs();
        this.schedule = new WarmupCosine(opts.lr(), opts.minLr(), (long) opts.warmupEpochs() * stepsPerEpoch, total);
    }

    /** Strings recorded in the checkpoints' state (where the backbone and data came from), for {@code --resume}. */
    public Trainer recordRunInfo(String key, String value) {
        runInfo.put(key, value);
        return this;
    }

    /**
     * Makes this trainer one replica of data-parallel training: its training data must hold this replica's slice
     * of each global batch, and every step sums the replicas' gradients through {@code s} before AdamW.
     */
    public Trainer dataParallel(GradientSync s) {
        this.sync = s;
        return this;
    }

    public TrainResult run() throws IOException {
        return loop(new TrainState());
    }

    /** Continues from a checkpoint written by a run with the same options, model and data. */
    public TrainResult resume(Path checkpoint) throws IOException {
        JsonNode json = Checkpoint.state(checkpoint);
        TrainState s;
        try {
            s = TrainState.fromJson(json);
            TrainOptions saved = TrainOptions.fromJson(Json.field(json, "options"));
            if (!saved.equals(opts)) {
                throw new IllegalArgumentException("it was trained with " + saved + ", not " + opts);
            }
            int examples = Json.intField(json, "train_examples");
            if (examples != train.size()) {
                throw new IllegalArgumentException("it was trained on " + examples + " examples, the data has " + train.size());
            }
            if (s.epoch > opts.epochs()) {
                throw new IllegalArgumentException("field 'epoch' is " + s.epoch + ", beyond the " + opts.epochs()
                        + " epochs of the run");
            }
            if (s.batchInEpoch > stepsPerEpoch) {
                throw new IllegalArgumentException("field 'batch_in_epoch' is " + s.batchInEpoch + ", beyond the "
                        + stepsPerEpoch + " batches of an epoch");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint.resolve(Checkpoint.STATE) + ": cannot resume: " + e.getMessage(), e);
        }
        Checkpoint.loadWeights(checkpoint, model);
        Checkpoint.loadOptimizer(checkpoint, model, optimizer, s.step);
        lastSaved = checkpoint.toString();
        return loop(s);
    }

    @SuppressWarnings("try")
    private TrainResult loop(TrainState s) throws IOException {
        model.train(true);
        long total = (long) stepsPerEpoch * opts.epochs();
        listener.started(s.step, total, s.epoch, opts.epochs());
        while (s.epoch < opts.epochs()) {
            try (BatchStream batches = train.shuffled(s.epoch, s.batchInEpoch, opts.batchSize(), opts.seed())) {
                while (true) {
                    double lr = schedule.lr(s.step);
                    optimizer.setLr(lr);
                    long t0 = System.nanoTime();
                    double[] lossAndCorrect;
                    try (TensorScope scope = TensorScope.open()) {
                        if (!batches.hasNext()) {
                            break;
                        }
                        lossAndCorrect = step(s, batches.next());
                    }
                    int size = (int) lossAndCorrect[2];
                    if (size == 0) {
                        s.batchInEpoch++; // every example of this global batch was skipped (--bad-files skip)
                        continue;
                    }
                    s.epochTrainSeconds += (System.nanoTime() - t0) / 1e9;
                    s.epochLossSum += lossAndCorrect[0] * size;
                    s.epochCorrect += (long) lossAndCorrect[1];
                    s.epochSeen += size;
                    s.step++;
                    s.batchInEpoch++;
                    listener.step(new StepLog(s.epoch, s.batchInEpoch, stepsPerEpoch, s.step, total, lossAndCorrect[0], lr,
                            s.epochLossSum / s.epochSeen, (double) s.epochCorrect / s.epochSeen));
                    if (store != null && opts.saveEverySteps() > 0 && s.step % opts.saveEverySteps() == 0
                            && s.batchInEpoch < stepsPerEpoch) {
                        save(CheckpointStore.LAST, s);
                    }
                }
            }
            if (s.epochSeen == 0) {
                throw new IllegalStateException(train.source() + ": epoch " + (s.epoch + 1) + " produced no batch");
            }
            EvalResult ev = eval == null ? null : Evaluator.evaluate(model, eval, opts.batchSize(), listener);
            model.train(true);
            EpochMetrics m = new EpochMetrics(s.epoch + 1, s.step, s.epochLossSum / s.epochSeen,
                    (double) s.epochCorrect / s.epochSeen, ev == null ? Double.NaN : ev.top1(), ev == null ? Double.NaN : ev.top5(),
                    ev == null ? Double.NaN : ev.loss(), optimizer.lr(), s.epochSeen / Math.max(s.epochTrainSeconds, 1e-9),
                    ev == null ? Double.NaN : ev.imagesPerSecond());
            s.history.add(m);
            // Without evaluation data the latest epoch counts as the best.
            boolean best = ev == null || ev.top1() > s.bestTop1;
            if (best) {
                s.bestTop1 = ev == null ? Double.NEGATIVE_INFINITY : ev.top1();
                s.bestEpoch = s.epoch + 1;
            }
            s.startNextEpoch();
            if (store != null) {
                save(CheckpointStore.LAST, s);
                if (best) {
                    save(CheckpointStore.BEST, s);
                }
            }
            listener.epoch(m, best);
        }
        listener.finished();
        return new TrainResult(List.copyOf(s.history), s.bestEpoch, s.step, store);
    }

    /**
     * One optimizer step over a batch (inside the caller's scope); returns {mean loss, correct predictions, examples}
     * of the global batch. A data-parallel replica holds a slice of it and scales its losses by slice / global.
     */
    private double[] step(TrainState s, Batch batch) {
        int local = batch.size();
        // A replica's slices add up to the global batch, which is the loader's unless a file was skipped (below).
        int b = sync == null ? local : Math.min(opts.batchSize(), train.size() - s.batchInEpoch * opts.batchSize());
        int micro = Math.max(1, (local + opts.accumulation() - 1) / opts.accumulation());
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < local; from += micro) {
            int len = Math.min(micro, local - from);
            Tensor x = len == b ? batch.images() : batch.images().narrow(0, from, len);
            Tensor y = len == b ? batch.labels() : batch.labels().narrow(0, from, len).contiguous();
            Variable logits = model.forward(x);
            Variable l = F.crossEntropy(logits, y, opts.labelSmoothing());
            double value = l.data().item();
            if (!Double.isFinite(value)) {
                optimizer.zeroGrad();
                throw diverged(s, value);
            }
            loss += value * len / b;
            correct += correct(logits.data(), y);
            (len == b ? l : l.mul((double) len / b)).backward();
        }
        if (sync != null) {
            double[] sum = sync.allReduce(params, new double[] {loss, correct, local});
            loss = sum[0];
            correct = (int) sum[1];
            int seen = (int) sum[2];
            if (seen == 0) {
                optimizer.zeroGrad();
                return new double[] {0, 0, 0};
            }
            if (seen != b) {
                // Files skipped under --bad-files skip: the slices were scaled by 1 / b, the mean needs 1 / seen.
                double f = (double) b / seen;
                loss *= f;
                for (Variable p : params) {
                    p.setGrad(p.grad().mul(f));
                }
                b = seen;
            }
        }
        optimizer.step();
        optimizer.zeroGrad();
        return new double[] {loss, correct, b};
    }

    private TrainingDiverged diverged(TrainState s, double value) {
        String kept = lastSaved == null ? "no checkpoint had been written yet"
                : "the last good checkpoint, " + lastSaved + ", is unchanged";
        return new TrainingDiverged(String.format(Locale.ROOT,
                "the training loss became %s at epoch %d, step %d (learning rate %.3g); stopped: %s. Lower --lr or check the data.",
                value, s.epoch + 1, s.step + 1, optimizer.lr(), kept));
    }

    private static int correct(Tensor logits, Tensor labels) {
        float[] z = logits.contiguous().toFloatArray();
        int[] y = labels.toIntArray();
        int classes = logits.size(1);
        int c = 0;
        for (int i = 0; i < y.length; i++) {
            c += Evaluator.rankOfLabel(z, i * classes, classes, y[i]) == 0 ? 1 : 0;
        }
        return c;
    }

    private void save(String which, TrainState s) throws IOException {
        ObjectNode json = s.toJson();
        json.set("options", opts.toJson());
        json.put("train_examples", train.size());
        ArrayNode names = json.putArray("class_names");
        train.classNames().forEach(names::add);
        ObjectNode run = json.putObject("run");
        runInfo.forEach(run::put);
        store.save(which, model, optimizer, json);
        if (which.equals(CheckpointStore.LAST)) {
            lastSaved = store.last() + (s.batchInEpoch == 0 ? " (after epoch " + s.epoch
                    : " (epoch " + (s.epoch + 1) + ", batch " + s.batchInEpoch) + ", step " + s.step + ")";
        }
    }

    public AdamW optimizer() {
        return optimizer;
    }
}
