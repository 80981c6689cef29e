package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a model is fine-tuned: AdamW with decoupled weight decay, a per-step learning rate that warms up linearly
 * and then follows a half cosine ({@link org.sparsetuning.nn.optim.WarmupCosine}), cross-entropy with optional
 * label smoothing. The defaults are the VTAB-1k protocol that Sparse-Tuning's setup follows (SPEC A.8: lr 1e-3,
 * weight decay 1e-4, batch 64, cosine to 1e-5), over fewer epochs.
 *
 * @param batchSize examples per optimizer step
 * @param accumulation micro-batches each step is split into (gradients add up; the batch must hold at least that many)
 * @param warmupEpochs epochs of linear warm-up (counted in steps: warmupEpochs × steps per epoch)
 * @param saveEverySteps also checkpoint every this many steps inside an epoch (0: only at epoch ends)
 */
public record TrainOptions(int epochs, int batchSize, int accumulation, double lr, double minLr, int warmupEpochs,
        double weightDecay, double labelSmoothing, long seed, int saveEverySteps) {

    public static final TrainOptions DEFAULTS = new TrainOptions(10, 64, 1, 1e-3, 1e-5, 1, 1e-4, 0.0, 0, 0);

    public TrainOptions {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (accumulation <= 0 || accumulation > batchSize) {
            throw new IllegalArgumentException("gradient accumulation must be between 1 and the batch size " + batchSize
                    + ", got " + accumulation);
        }
        if (!(lr > 0) || !(minLr >= 0) || minLr > lr || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("need 0 <= min lr <= lr and lr > 0, both finite, got lr " + lr + ", min lr " + minLr);
        }
        if (warmupEpochs < 0 || warmupEpochs > epochs) {
            throw new IllegalArgumentException("warm-up epochs must be between 0 and epochs " + epochs + ", got " + warmupEpochs);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (saveEverySteps < 0) {
            throw new IllegalArgumentException("save-every must be >= 0 steps, got " + saveEverySteps);
        }
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, batchSize, accumulation, lr, minLr, Math.min(warmupEpochs, e), weightDecay,
                labelSmoothing, seed, saveEverySteps);
    }

    public TrainOptions withBatch(int batch, int accum) {
        return new TrainOptions(epochs, batch, accum, lr, minLr, warmupEpochs, weightDecay, labelSmoothing, seed,
                saveEverySteps);
    }

    public TrainOptions withLr(double rate, double min, int warmup) {
        return new TrainOptions(epochs, batchSize, accumulation, rate, min, warmup, weightDecay, labelSmoothing, seed,
                saveEverySteps);
    }

    public TrainOptions withRegularisation(double wd, double smoothing) {
        return new TrainOptions(epochs, batchSize, accumulation, lr, minLr, warmupEpochs, wd, smoothing, seed,
                saveEverySteps);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, accumulation, lr, minLr, warmupEpochs, weightDecay, labelSmoothing, s,
                saveEverySteps);
    }

    public TrainOptions withSaveEvery(int steps) {
        return new TrainOptions(epochs, batchSize, accumulation, lr, minLr, warmupEpochs, weightDecay, labelSmoothing,
                seed, steps);
    }

    /** Optimizer steps in one epoch over {@code examples} (the last batch may be smaller). */
    public int stepsPerEpoch(int examples) {
        return (examples + batchSize - 1) / batchSize;
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("epochs", epochs);
        o.put("batch_size", batchSize);
        o.put("accumulation", accumulation);
        o.put("lr", lr);
        o.put("min_lr", minLr);
        o.put("warmup_epochs", warmupEpochs);
        o.put("weight_decay", weightDecay);
        o.put("label_smoothing", labelSmoothing);
        o.put("seed", seed);
        o.put("save_every_steps", saveEverySteps);
        return o;
    }

    public static TrainOptions fromJson(JsonNode o) {
        return new TrainOptions(Json.intField(o, "epochs"), Json.intField(o, "batch_size"), Json.intField(o, "accumulation"),
                Json.doubleField(o, "lr"), Json.doubleField(o, "min_lr"), Json.intField(o, "warmup_epochs"),
                Json.doubleField(o, "weight_decay"), Json.doubleField(o, "label_smoothing"), Json.longField(o, "seed"),
                Json.intField(o, "save_every_steps"));
    }
}
