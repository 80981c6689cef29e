package org.sparsetuning.bench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The bench-model table (text and Markdown) and the sparse/dense ratios against the FLOP ratio. */
final class ModelReport {
    private record Row(ModelCase c, double gflops, EngineModelRunner.Result e, TorchModelPeer.Result t) {
    }

    private static final String[] HEAD = {"case", "GFLOPs/img", "engine s", "torch s", "engine img/s", "torch img/s",
        "speed vs torch", "engine peak MiB", "torch peak MiB", "peak ratio", "engine kept MiB", "torch saved MiB", "kept ratio", "engine cache MiB"};
    private final List<Row> rows = new ArrayList<>();

    void add(ModelCase c, double gflops, EngineModelRunner.Result e, TorchModelPeer.Result t) {
        rows.add(new Row(c, gflops, e, t));
    }

    private static String f(String fmt, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v);
    }

    private List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            double ts = r.t == null ? Double.NaN : r.t.seconds();
            double tp = r.t == null ? Double.NaN : r.t.peakMiB();
            double tk = r.t == null ? Double.NaN : r.t.savedMiB();
            int b = r.c.batch();
            out.add(new String[] {r.c.label().replaceAll(" +", " "), f("%.2f", r.gflops), f("%.3f", r.e.seconds()), f("%.3f", ts),
                f("%.2f", b / r.e.seconds()), f("%.2f", b / ts), f("%.2fx", ts / r.e.seconds()), f("%.0f", r.e.peakMiB()), f("%.0f", tp),
                f("%.2f", r.e.peakMiB() / tp), f("%.0f", r.e.keptMiB()), f("%.0f", tk), f("%.2f", r.e.keptMiB() / tk), f("%.0f", r.e.cacheMiB())});
        }
        return out;
    }

    /** Sparse/dense ratios per kind: engine time, torch time, FLOPs. */
    private List<String> ratios() {
        List<String> out = new ArrayList<>();
        for (String kind : List.of(ModelCase.INFERENCE, ModelCase.TRAIN)) {
            Row dense = find(kind, false);
            Row sparse = find(kind, true);
            if (dense == null || sparse == null) {
                continue;
            }
            double te = sparse.e.seconds() / dense.e.seconds();
            double tt = dense.t == null ? Double.NaN : sparse.t.seconds() / dense.t.seconds();
            double fl = sparse.gflops / dense.gflops;
            out.add(String.format(Locale.ROOT, "%s sparse/dense time: engine %.2f, torch %s; FLOP ratio %.2f (engine within %.0f%% of it)",
                    kind, te, f("%.2f", tt), fl, 100 * Math.abs(te - fl) / fl));
        }
        return out;
    }

    private Row find(String kind, boolean sparse) {
        for (Row r : rows) {
            if (r.c.kind().equals(kind) && r.c.method().equals("sparse-tuning") && (r.c.keepRate() < 1) == sparse) {
                return r;
            }
        }
        return null;
    }

    String text() {
        List<String[]> cells = cells();
        int[] w = new int[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            w[i] = HEAD[i].length();
            for (String[] c : cells) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEAD, w);
        cells.forEach(c -> line(sb, c, w));
        ratios().forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] w) {
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? String.format("%-" + w[i] + "s", c[i]) : String.format("  %" + w[i] + "s", c[i]));
        }
        sb.append('\n');
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", HEAD) + " |\n|");
        sb.append("---|".repeat(HEAD.length)).append('\n');
        cells().forEach(c -> sb.append("| ").append(String.join(" | ", c)).append(" |\n"));
        ratios().forEach(r -> sb.append('\n').append(r).append('\n'));
        return sb.toString();
    }
}
