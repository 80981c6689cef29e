package org.sparsetuning.train;

/** The loss became NaN or infinite: training stopped without saving, so the last checkpoint is the last good one. */
public final class TrainingDiverged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDiverged(String message) {
        super(message);
    }
}
