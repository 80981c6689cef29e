package org.sparsetuning.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.sparsetuning.train.StepLog;
import org.sparsetuning.train.TrainListener;

/**
 * Replica 0's report of every step for the driver's progress bar: OUT/spark-steps.jsonl, one line per step with
 * the loss, the running loss and the step's time split into compute and all-reduce (the other metrics go to the
 * same files as train's, through {@link org.sparsetuning.train.MetricsLog}).
 */
final class StepReporter implements TrainListener {
    static final String FILE = "spark-steps.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final AllGatherSync sync;
    private BufferedWriter w;
    private long lastEnd;

    StepReporter(Path out, AllGatherSync sync) {
        this.file = out.resolve(FILE);
        this.sync = sync;
    }

    @Override
    public void started(long fromStep, long totalSteps, int firstEpoch, int epochs) {
        try {
            Files.createDirectories(file.getParent());
            w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the step report: " + e.getMessage(), e);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("started", fromStep);
        o.put("total", totalSteps);
        write(o);
        lastEnd = System.nanoTime();
    }

    @Override
    public void step(StepLog s) {
        long now = System.nanoTime();
        double wall = (now - lastEnd) / 1e9;
        lastEnd = now;
        double exchange = sync.lastSeconds();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("step", s.step());
        o.put("total", s.totalSteps());
        o.put("epoch", s.epoch() + 1);
        o.put("loss", s.loss());
        o.put("running_loss", s.runningLoss());
        o.put("compute_s", Math.max(0, wall - exchange));
        o.put("allreduce_s", exchange);
        write(o);
    }

    @Override
    public void epoch(org.sparsetuning.train.EpochMetrics m, boolean best) {
        lastEnd = System.nanoTime(); // evaluation time is not a step's
    }

    private void write(ObjectNode o) {
        try {
            w.write(JSON.writeValueAsString(o));
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            w = null;
        }
    }
}
