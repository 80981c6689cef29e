package org.sparsetuning.train;

/**
 * One optimizer step, as logged.
 *
 * @param epoch 0-based epoch
 * @param batch 1-based batch within the epoch
 * @param step 1-based optimizer step over the whole run
 * @param loss the step's mean training loss (with label smoothing, as optimised)
 * @param lr the learning rate the step used
 * @param runningLoss mean loss over the epoch so far
 * @param runningAccuracy top-1 over the epoch so far, in [0, 1]
 */
public record StepLog(int epoch, int batch, int batchesPerEpoch, long step, long totalSteps, double loss, double lr,
        double runningLoss, double runningAccuracy) {
}
