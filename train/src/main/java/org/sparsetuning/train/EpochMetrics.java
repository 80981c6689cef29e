package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one epoch gave: training loss and accuracy (running means over the epoch), the evaluation's top-1, top-5
 * and loss (NaN without evaluation data), the last learning rate, and the training throughput.
 *
 * @param epoch 1-based
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double trainAccuracy, double evalTop1,
        double evalTop5, double evalLoss, double lr, double trainImagesPerSecond, double evalImagesPerSecond) {

    public boolean evaluated() {
        return !Double.isNaN(evalTop1);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("epoch", epoch);
        o.put("step", step);
        o.put("train_loss", trainLoss);
        o.put("train_acc", trainAccuracy);
        putMaybe(o, "eval_top1", evalTop1);
        putMaybe(o, "eval_top5", evalTop5);
        putMaybe(o, "eval_loss", evalLoss);
        o.put("lr", lr);
        o.put("train_images_per_s", trainImagesPerSecond);
        putMaybe(o, "eval_images_per_s", evalImagesPerSecond);
        return o;
    }

    private static void putMaybe(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    public static EpochMetrics fromJson(JsonNode o) {
        return new EpochMetrics(Json.intField(o, "epoch"), Json.longField(o, "step"), Json.doubleField(o, "train_loss"),
                Json.doubleField(o, "train_acc"), maybe(o, "eval_top1"), maybe(o, "eval_top5"), maybe(o, "eval_loss"),
                Json.doubleField(o, "lr"), Json.doubleField(o, "train_images_per_s"), maybe(o, "eval_images_per_s"));
    }

    private static double maybe(JsonNode o, String k) {
        JsonNode n = o.get(k);
        return n == null || n.isNull() ? Double.NaN : Json.doubleField(o, k);
    }

    static final String CSV_HEADER = "epoch,step,train_loss,train_acc,eval_top1,eval_top5,eval_loss,lr,train_images_per_s,eval_images_per_s";

    String csvRow() {
        return epoch + "," + step + "," + trainLoss + "," + trainAccuracy + "," + csv(evalTop1) + "," + csv(evalTop5) + ","
                + csv(evalLoss) + "," + lr + "," + trainImagesPerSecond + "," + csv(evalImagesPerSecond);
    }

    private static String csv(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
