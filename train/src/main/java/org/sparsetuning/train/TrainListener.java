package org.sparsetuning.train;

import java.util.List;

/** What a training run reports as it goes: progress bars, metric files and tests listen. */
public interface TrainListener {
    /** Training starts (or resumes) at {@code fromStep} of {@code totalSteps}. */
    default void started(long fromStep, long totalSteps, int firstEpoch, int epochs) {
    }

    default void step(StepLog s) {
    }

    /** An evaluation pass of {@code batches} batches starts. */
    default void evaluationStarted(int batches) {
    }

    default void evaluationBatch(int done, int batches) {
    }

    /** An epoch ended (after its evaluation); {@code best} when it is the best so far and was saved as such. */
    default void epoch(EpochMetrics m, boolean best) {
    }

    /** Releases what the listener holds (a terminal progress bar); called once, after {@link #finished}. */
    default void close() {
    }

    default void finished() {
    }

    static TrainListener all(List<TrainListener> listeners) {
        List<TrainListener> ls = List.copyOf(listeners);
        return new TrainListener() {
            @Override
            public void started(long fromStep, long totalSteps, int firstEpoch, int epochs) {
                ls.forEach(l -> l.started(fromStep, totalSteps, firstEpoch, epochs));
            }

            @Override
            public void step(StepLog s) {
                ls.forEach(l -> l.step(s));
            }

            @Override
            public void evaluationStarted(int batches) {
                ls.forEach(l -> l.evaluationStarted(batches));
            }

            @Override
            public void evaluationBatch(int done, int batches) {
                ls.forEach(l -> l.evaluationBatch(done, batches));
            }

            @Override
            public void epoch(EpochMetrics m, boolean best) {
                ls.forEach(l -> l.epoch(m, best));
            }

            @Override
            public void finished() {
                ls.forEach(TrainListener::finished);
            }
        };
    }

    TrainListener NONE = new TrainListener() {
    };
}
