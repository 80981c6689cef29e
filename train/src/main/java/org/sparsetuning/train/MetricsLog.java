package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run's metrics as it goes: {@code metrics.csv} and {@code metrics.jsonl} (one row per epoch) and
 * {@code steps.jsonl} (one line per optimizer step: epoch, step, loss, lr). Lines are flushed as they are written,
 * so a crashed run keeps its log; a resumed run first drops the lines after the step it resumes from.
 */
public final class MetricsLog implements TrainListener {
    public static final String EPOCHS_CSV = "metrics.csv";
    public static final String EPOCHS_JSONL = "metrics.jsonl";
    public static final String STEPS_JSONL = "steps.jsonl";
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private final Path dir;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private BufferedWriter steps;

    public MetricsLog(Path dir) {
        this.dir = dir;
    }

    @Override
    public void started(long fromStep, long totalSteps, int firstEpoch, int epochCount) {
        try {
            Files.createDirectories(dir);
            List<String> keptSteps = new ArrayList<>();
            for (JsonNode line : readJsonLines(dir.resolve(STEPS_JSONL))) {
                if (line.path("step").asLong(Long.MAX_VALUE) <= fromStep) {
                    keptSteps.add(COMPACT.writeValueAsString(line));
                }
            }
            for (JsonNode line : readJsonLines(dir.resolve(EPOCHS_JSONL))) {
                if (line.path("step").asLong(Long.MAX_VALUE) <= fromStep) {
                    epochs.add(EpochMetrics.fromJson(line));
                }
            }
            Files.write(dir.resolve(STEPS_JSONL), keptSteps, StandardCharsets.UTF_8);
            rewriteEpochs();
            steps = Files.newBufferedWriter(dir.resolve(STEPS_JSONL), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the metrics log: " + e.getMessage(), e);
        }
    }

    @Override
    public void step(StepLog s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("epoch", s.epoch() + 1);
        o.put("batch", s.batch());
        o.put("step", s.step());
        o.put("loss", s.loss());
        o.put("lr", s.lr());
        try {
            steps.write(COMPACT.writeValueAsString(o));
            steps.newLine();
            steps.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(STEPS_JSONL) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void epoch(EpochMetrics m, boolean best) {
        epochs.add(m);
        try {
            rewriteEpochs();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the epoch metrics: " + e.getMessage(), e);
        }
    }

    @Override
    public void finished() {
        close();
    }

    /** Closes the step log (also after a failed run). */
    public void close() {
        if (steps != null) {
            try {
                steps.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            steps = null;
        }
    }

    private void rewriteEpochs() throws IOException {
        List<String> csv = new ArrayList<>();
        List<String> jsonl = new ArrayList<>();
        csv.add(EpochMetrics.CSV_HEADER);
        for (EpochMetrics m : epochs) {
            csv.add(m.csvRow());
            jsonl.add(COMPACT.writeValueAsString(m.toJson()));
        }
        Files.write(dir.resolve(EPOCHS_CSV), csv, StandardCharsets.UTF_8);
        Files.write(dir.resolve(EPOCHS_JSONL), jsonl, StandardCharsets.UTF_8);
    }

    private static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    out.add(COMPACT.readTree(line));
                } catch (IOException e) {
                    // A line cut short by a crash: the lines before it are kept, this one is dropped.
                }
            }
        }
        return out;
    }

    /** Reads a steps log: the loss of every step, in order (tests and charts). */
    public static List<double[]> readSteps(Path dir) throws IOException {
        List<double[]> out = new ArrayList<>();
        for (JsonNode n : readJsonLines(dir.resolve(STEPS_JSONL))) {
            out.add(new double[] {n.get("step").asDouble(), n.get("loss").asDouble()});
        }
        return out;
    }
}
