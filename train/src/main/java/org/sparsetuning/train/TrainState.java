package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands, enough to continue it exactly: the position in the data order (the order itself is a pure
 * function of the seed and the epoch), the step count, the epoch's running sums, the best evaluation so far and
 * the history of finished epochs. Saved as {@code state.json} next to the weights.
 */
final class TrainState {
    static final int FORMAT = 1;

    /** 0-based epoch in progress (or next to start). */
    int epoch;
    /** Batches of {@link #epoch} already done. */
    int batchInEpoch;
    /** Optimizer steps done over the whole run. */
    long step;
    double epochLossSum;
    long epochCorrect;
    long epochSeen;
    /** Seconds spent in training steps this epoch (not evaluation); timings are not part of the exact replay. */
    double epochTrainSeconds;
    double bestTop1 = Double.NEGATIVE_INFINITY;
    int bestEpoch;
    final List<EpochMetrics> history = new ArrayList<>();

    void startNextEpoch() {
        epoch++;
        batchInEpoch = 0;
        epochLossSum = 0;
        epochCorrect = 0;
        epochSeen = 0;
        epochTrainSeconds = 0;
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("epoch", epoch);
        o.put("batch_in_epoch", batchInEpoch);
        o.put("step", step);
        o.put("epoch_loss_sum", epochLossSum);
        o.put("epoch_correct", epochCorrect);
        o.put("epoch_seen", epochSeen);
        o.put("epoch_train_seconds", epochTrainSeconds);
        if (Double.isInfinite(bestTop1)) {
            o.putNull("best_top1");
        } else {
            o.put("best_top1", bestTop1);
        }
        o.put("best_epoch", bestEpoch);
        ArrayNode h = o.putArray("history");
        history.forEach(m -> h.add(m.toJson()));
        return o;
    }

    static TrainState fromJson(JsonNode o) {
        int format = Json.intField(o, "format");
        if (format != FORMAT) {
            throw new IllegalArgumentException("state format " + format + " is not supported (this build reads " + FORMAT + ")");
        }
        TrainState s = new TrainState();
        s.epoch = nonNegative("epoch", Json.intField(o, "epoch"));
        s.batchInEpoch = nonNegative("batch_in_epoch", Json.intField(o, "batch_in_epoch"));
        s.step = nonNegative("step", Json.longField(o, "step"));
        // Doubles go through JSON as their shortest round-tripping decimal, so the sums come back bit for bit.
        s.epochLossSum = Json.doubleField(o, "epoch_loss_sum");
        s.epochCorrect = nonNegative("epoch_correct", Json.longField(o, "epoch_correct"));
        s.epochSeen = nonNegative("epoch_seen", Json.longField(o, "epoch_seen"));
        if (s.epochCorrect > s.epochSeen) {
            throw new IllegalArgumentException("field 'epoch_correct' is " + s.epochCorrect + ", more than the "
                    + s.epochSeen + " examples of 'epoch_seen'");
        }
        if (s.step < s.batchInEpoch) {
            throw new IllegalArgumentException("field 'step' is " + s.step + ", fewer than the " + s.batchInEpoch
                    + " batches of 'batch_in_epoch' already done");
        }
        s.epochTrainSeconds = Json.doubleField(o, "epoch_train_seconds");
        JsonNode best = o.get("best_top1");
        s.bestTop1 = best == null || best.isNull() ? Double.NEGATIVE_INFINITY : Json.doubleField(o, "best_top1");
        s.bestEpoch = nonNegative("best_epoch", Json.intField(o, "best_epoch"));
        for (JsonNode m : Json.field(o, "history")) {
            s.history.add(EpochMetrics.fromJson(m));
        }
        return s;
    }

    /** Counts and positions: a negative one means the file was edited or corrupted, and resuming from it would mislead. */
    private static <N extends Number> N nonNegative(String name, N value) {
        if (value.longValue() < 0) {
            throw new IllegalArgumentException("field '" + name + "' must be >= 0, got " + value);
        }
        return value;
    }
}
