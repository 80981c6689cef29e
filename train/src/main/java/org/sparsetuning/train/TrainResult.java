package org.sparsetuning.train;

import java.util.List;

/**
 * The outcome of a run: every epoch's metrics, the best epoch (1-based; by evaluation top-1, or the last without
 * evaluation data), the steps done, and the checkpoints (null when none were written).
 */
public record TrainResult(List<EpochMetrics> history, int bestEpoch, long steps, CheckpointStore checkpoints) {
    public EpochMetrics best() {
        return history.stream().filter(m -> m.epoch() == bestEpoch).findFirst().orElseThrow();
    }

    public EpochMetrics last() {
        return history.get(history.size() - 1);
    }
}
