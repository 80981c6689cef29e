package org.sparsetuning.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.BarrierTaskContext;
import org.sparsetuning.app.Replica;
import org.sparsetuning.app.TrainCommand;
import org.sparsetuning.train.Checkpoint;
import org.sparsetuning.train.CheckpointStore;
import org.sparsetuning.train.StepLog;
import org.sparsetuning.train.TrainListener;
import picocli.CommandLine;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One task of spark-train's barrier stage: replica {@code partitionId} runs {@code train} with the user's flags on
 * its slice of every global batch, summing gradients with the other tasks ({@link AllGatherSync}). When Spark
 * restarts the stage after a failed task, every replica resumes from the run's last checkpoint (written by replica
 * 0, atomically), so the restarted run repeats the steps an uninterrupted one would take.
 */
final class ReplicaTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String[] trainArgs;
    private final int replicas;
    private final long failAfterStep;
    private final boolean failEveryAttempt;

    /**
     * @param failure for the restart tests ({@link SparkTrainCommand#FAIL_AFTER_STEP}): "STEP" makes the last
     *        replica of the stage's first attempt fail after that step, "STEP,always" of every attempt; null: never
     */
    ReplicaTask(String[] trainArgs, int replicas, String failure) {
        this.trainArgs = trainArgs.clone();
        this.replicas = replicas;
        this.failAfterStep = failure == null ? -1 : Long.parseLong(failure.split(",")[0]);
        this.failEveryAttempt = failure != null && failure.endsWith(",always");
    }

    @Override
    public Iterator<String> apply(Iterator<Integer> ignored) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int rank = ctx.partitionId();
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(trainArgs);
        Path out = SparkTrainCommand.runFolder(cmd);
        Path last = out.resolve(CheckpointStore.LAST);
        Path resumeFrom = ctx.stageAttemptNumber() > 0 && Files.exists(last.resolve(Checkpoint.STATE)) ? last : null;
        AllGatherSync sync = new AllGatherSync(ctx);
        List<TrainListener> listeners = new ArrayList<>();
        if (rank == 0) {
            listeners.add(new StepReporter(out, sync));
        }
        if (failAfterStep >= 0 && (failEveryAttempt || ctx.stageAttemptNumber() == 0) && rank == replicas - 1) {
            listeners.add(new TrainListener() {
                @Override
                public void step(StepLog s) {
                    if (s.step() == failAfterStep) {
                        throw new IllegalStateException("replica " + rank + " stops after step " + failAfterStep
                                + " (" + SparkTrainCommand.FAIL_AFTER_STEP + ")");
                    }
                }
            });
        }
        long t0 = System.nanoTime();
        try {
            cmd.train(new Replica(rank, replicas, sync, TrainListener.all(listeners), resumeFrom));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String summary = String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%d", rank, ctx.stageAttemptNumber(), seconds,
                sync.totalSeconds(), sync.bytesSent());
        return CollectionConverters.asScala(List.of(summary).iterator());
    }
}
