package org.sparsetuning.train;

/**
 * An evaluation pass: accuracies in [0, 1] (top-5 counts a hit among the five highest logits, or among all
 * classes when there are fewer), mean plain cross-entropy, and throughput.
 */
public record EvalResult(int examples, double top1, double top5, double loss, double seconds) {
    public double imagesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
