package org.sparsetuning.app;

import java.nio.file.Path;
import org.sparsetuning.train.GradientSync;
import org.sparsetuning.train.TrainListener;

/**
 * {@code train} run as one replica of data-parallel training (the spark module's spark-train): replica
 * {@code rank} of {@code replicas} reads its slice of every global batch and sums gradients through {@code sync}.
 * Replica 0 alone evaluates and writes checkpoints, metrics and curves, as {@code train} does.
 *
 * @param listener sees every step of this replica (spark-train reports replica 0's steps to the driver)
 * @param resumeFrom a checkpoint to continue from instead of the command's own --resume (a restarted stage), or null
 */
public record Replica(int rank, int replicas, GradientSync sync, TrainListener listener, Path resumeFrom) {
    public Replica {
        if (replicas < 1 || rank < 0 || rank >= replicas) {
            throw new IllegalArgumentException("replica " + rank + " of " + replicas);
        }
    }

    boolean writes() {
        return rank == 0;
    }
}
