package org.sparsetuning.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sparsetuning.app.progress.LineEndingConsumer;

/**
 * The driver's progress bar for spark-train: follows replica 0's step report ({@link StepReporter}) in the run
 * folder, with the ETA, the running loss and the last step's time split into compute and all-reduce.
 */
final class DriverProgress implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Thread thread;
    private volatile boolean stop;
    private ProgressBar bar;
    private LineEndingConsumer consumer;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private volatile String last = "";

    DriverProgress(Path out) {
        this.file = out.resolve(StepReporter.FILE);
        try {
            offset = Files.exists(file) ? Files.size(file) : 0; // lines of an earlier run in the same folder
        } catch (IOException e) {
            offset = 0;
        }
        thread = new Thread(this::follow, "spark-train-progress");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow() {
        while (!stop) {
            poll();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
        }
        poll();
    }

    private synchronized void poll() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() < offset) {
                offset = 0;
            }
            f.seek(offset);
            byte[] b = new byte[(int) (f.length() - offset)];
            f.readFully(b);
            offset += b.length;
            partial.append(new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return;
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, nl);
            partial.delete(0, nl + 1);
            try {
                show(JSON.readTree(line));
            } catch (IOException e) {
                // a line being written; the next poll reads it whole
            }
        }
    }

    private void show(JsonNode n) {
        long total = n.path("total").asLong();
        if (n.has("started")) {
            if (bar != null) {
                bar.close();
                consumer.endLine(); // a restarted stage: a new bar from the checkpoint it resumed
            }
            bar = new ProgressBarBuilder().setTaskName("spark-train").setInitialMax(total)
                    .startsFrom(n.get("started").asLong(), Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).setMaxRenderedLength(120)
                    .setConsumer(consumer = new LineEndingConsumer(System.err, 119)).setUnit(" steps", 1).build();
            return;
        }
        if (bar == null) {
            return;
        }
        last = String.format(Locale.ROOT, "ep %d loss %.4f | step %.2fs = compute %.2fs + all-reduce %.3fs",
                n.path("epoch").asInt(), n.path("running_loss").asDouble(),
                n.path("compute_s").asDouble() + n.path("allreduce_s").asDouble(), n.path("compute_s").asDouble(),
                n.path("allreduce_s").asDouble());
        bar.stepTo(n.path("step").asLong());
        bar.setExtraMessage(last);
    }

    /** The last step's figures, for the summary line. */
    String last() {
        return last;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll();
        synchronized (this) {
            if (bar != null) {
                bar.close();
                consumer.endLine();
                bar = null;
            }
        }
    }
}
