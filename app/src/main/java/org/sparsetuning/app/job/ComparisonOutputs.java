package org.sparsetuning.app.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.app.viz.Charts;
import org.sparsetuning.train.CompareTable;
import org.sparsetuning.train.MethodResult;

/**
 * The files a comparison of methods leaves in its output folder, written and listed the same way by the main job
 * and the video demo: the table as text, CSV and JSON (with the run's set-up), and the accuracy-against-cost chart.
 */
public final class ComparisonOutputs {
    private ComparisonOutputs() {
    }

    /** Writes table.txt (the given text), compare.csv, compare.json and accuracy_vs_gflops.png into {@code out}. */
    public static void write(List<MethodResult> rows, String table, ObjectNode setup, String chartTitle, Path out)
            throws IOException {
        Files.writeString(out.resolve("table.txt"), table);
        CompareTable.writeCsv(rows, out.resolve("compare.csv"));
        CompareTable.writeJson(rows, setup, out.resolve("compare.json"));
        Charts.comparison(chartTitle, rows, out);
    }

    /**
     * Lists the output folder for the user: what {@link #write} wrote, each method's files, and the pictures of
     * what Sparse-Tuning kept ({@code units}: "tokens" or "tubelets").
     */
    public static void list(PrintStream log, Path out, int pictures, String units) {
        log.printf(Locale.ROOT, "Output folder: %s%n", out.toAbsolutePath());
        log.println("  table.txt, compare.csv, compare.json     the table above, with every epoch's metrics in the JSON");
        log.println("  accuracy_vs_gflops.png, curves.png       test top-1 against GFLOPs; validation top-1 and loss per epoch");
        log.println("  METHOD/curves.png, METHOD/metrics.csv    each method's curves and log; METHOD/best, METHOD/last checkpoints");
        log.printf(Locale.ROOT, "  pictures/ (%d)                           %s kept by Sparse-Tuning at layers 4, 7, 10%n",
                pictures, units);
    }
}
