package org.sparsetuning.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The paper-style table of a comparison, as text, CSV and JSON. */
public final class CompareTable {
    private CompareTable() {
    }

    /** The table as printed; top-5 is left out when there are 5 classes or fewer (it is then always 100%). */
    public static String text(List<MethodResult> rows, int classes) {
        return text(rows, classes, false);
    }

    /**
     * As {@link #text(List, int)}; for clips ({@code clips}) throughput is in clips/s and GFLOPs are per clip, and
     * the multi-view top-1 (when measured) stands beside the single-view one.
     */
    public static String text(List<MethodResult> rows, int classes, boolean clips) {
        boolean top5 = classes > 5;
        String views = rows.stream().map(MethodResult::views).filter(v -> !v.isEmpty()).findFirst().orElse("");
        String unit = clips ? "clip/s" : "im/s";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %7s%s%s %11s %9s %10s %10s %10s %10s%n", "method", "top-1",
                views.isEmpty() ? "" : String.format(Locale.ROOT, " %9s", "top-1 " + views),
                top5 ? String.format(Locale.ROOT, " %7s", "top-5") : "", "trainable", "GFLOPs", "train MB", "infer MB",
                "train " + unit, "infer " + unit));
        for (MethodResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%-16s %6.2f%%%s%s %,11d %9.4g %10.1f %10.1f %10.0f %10.0f%n", r.method(),
                    100 * r.top1(), views.isEmpty() ? "" : String.format(Locale.ROOT, " %8.2f%%", 100 * r.viewsTop1()),
                    top5 ? String.format(Locale.ROOT, " %6.2f%%", 100 * r.top5()) : "",
                    r.trainableParameters(), r.gflops(), r.trainPeakBytes() / 1048576.0, r.inferPeakBytes() / 1048576.0,
                    r.trainImagesPerSecond(), r.inferImagesPerSecond()));
        }
        return sb.toString();
    }

    public static void writeCsv(List<MethodResult> rows, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("method,top1,top5,trainable_params,head_params,gflops,train_peak_bytes,infer_peak_bytes,"
                + "train_images_per_s,infer_images_per_s,best_epoch,train_seconds,views,views_top1");
        for (MethodResult r : rows) {
            lines.add(String.join(",", r.method(), Double.toString(r.top1()), Double.toString(r.top5()),
                    Long.toString(r.trainableParameters()), Long.toString(r.headParameters()), Double.toString(r.gflops()),
                    Long.toString(r.trainPeakBytes()), Long.toString(r.inferPeakBytes()),
                    Double.toString(r.trainImagesPerSecond()), Double.toString(r.inferImagesPerSecond()),
                    Integer.toString(r.bestEpoch()), Double.toString(r.trainSeconds()), r.views(),
                    Double.isNaN(r.viewsTop1()) ? "" : Double.toString(r.viewsTop1())));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    public static void writeJson(List<MethodResult> rows, ObjectNode setup, Path file) throws IOException {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("setup", setup);
        ArrayNode a = root.putArray("methods");
        for (MethodResult r : rows) {
            ObjectNode o = a.addObject();
            o.put("method", r.method());
            o.put("top1", r.top1());
            o.put("top5", r.top5());
            o.put("trainable_params", r.trainableParameters());
            o.put("head_params", r.headParameters());
            o.put("gflops", r.gflops());
            o.put("train_peak_bytes", r.trainPeakBytes());
            o.put("infer_peak_bytes", r.inferPeakBytes());
            o.put("train_images_per_s", r.trainImagesPerSecond());
            o.put("infer_images_per_s", r.inferImagesPerSecond());
            o.put("best_epoch", r.bestEpoch());
            o.put("train_seconds", r.trainSeconds());
            if (!r.views().isEmpty()) {
                o.put("views", r.views());
                o.put("views_top1", r.viewsTop1());
            }
            ArrayNode h = o.putArray("history");
            r.history().forEach(m -> h.add(m.toJson()));
        }
        Json.write(file, root);
    }
}
