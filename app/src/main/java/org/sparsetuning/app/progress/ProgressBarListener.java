package org.sparsetuning.app.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sparsetuning.train.EpochMetrics;
import org.sparsetuning.train.StepLog;
import org.sparsetuning.train.TrainListener;

/**
 * A progress bar over the optimizer steps of a run, with the ETA, the epoch, the running loss and accuracy, and
 * the last evaluation's top-1; while an evaluation runs, its progress replaces the running figures.
 */
public final class ProgressBarListener implements TrainListener {
    private final String task;
    private final PrintStream out;
    private LineEndingConsumer consumer;
    private ProgressBar bar;
    private String running = "";
    private String lastEval = "";
    private boolean standaloneEval;

    /** @param out where the bar is drawn (standard error, so standard output keeps only results) */
    public ProgressBarListener(String task, PrintStream out) {
        this.task = task;
        this.out = out;
    }

    @Override
    public void started(long fromStep, long totalSteps, int firstEpoch, int epochs) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps).startsFrom(fromStep, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(120)
                .setConsumer(consumer = new LineEndingConsumer(out, 119)).setUnit(" steps", 1).build();
    }

    @Override
    public void step(StepLog s) {
        running = String.format(Locale.ROOT, "ep %d/%d loss %.4f acc %.1f%%", s.epoch() + 1,
                (s.totalSteps() + s.batchesPerEpoch() - 1) / s.batchesPerEpoch(), s.runningLoss(), 100 * s.runningAccuracy());
        bar.stepTo(s.step());
        bar.setExtraMessage(running + lastEval);
    }

    /** Outside a training run (the {@code eval} command) the evaluation gets a bar of its own. */
    @Override
    public void evaluationStarted(int batches) {
        if (bar == null) {
            standaloneEval = true;
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(batches).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setMaxRenderedLength(120).setConsumer(consumer = new LineEndingConsumer(out, 119))
                    .setUnit(" batches", 1).build();
        }
    }

    @Override
    public void evaluationBatch(int done, int batches) {
        if (standaloneEval) {
            bar.stepTo(done);
        } else if (bar != null) {
            bar.setExtraMessage(running + String.format(Locale.ROOT, " | eval %d/%d", done, batches));
        }
    }

    @Override
    public void epoch(EpochMetrics m, boolean best) {
        if (m.evaluated()) {
            lastEval = String.format(Locale.ROOT, " | val top-1 %.1f%%", 100 * m.evalTop1());
        }
        bar.setExtraMessage(running + lastEval);
    }

    @Override
    public void finished() {
        close();
    }

    /** Draws the final state and ends the line (also after a failed run). */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            consumer.endLine();
            bar = null;
        }
    }
}
