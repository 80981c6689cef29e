package org.sparsetuning.bench.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.bench.fair.Alternation;
import org.sparsetuning.bench.fair.MachinePeak;
import org.sparsetuning.bench.fair.Stats;
import org.sparsetuning.bench.fair.TextTable;

/**
 * One bench-model table (one model, one batch size): per case the median seconds of the alternated
 * repetitions with their spread, the speed ratio, the fraction of the machine's fp32 peak each side reaches,
 * and the whole-process memory of the per-case children; then the sparse/dense time ratios against the FLOP
 * ratio. Text and Markdown from the same cells.
 */
final class ModelReport {
    /**
     * @param sameTurns whether the case was timed in one alternation with the other Sparse-Tuning case of its kind
     *                  (sparse with dense), so their times can be compared round by round
     */
    record Row(ModelCase c, double gflopsPerCall, Alternation.Result engine, Alternation.Result torch,
               MemoryProbe.EngineMemory engineMemory, MemoryProbe.TorchMemory torchMemory, boolean sameTurns) {
    }

    static final String[] HEAD = {"case", "GFLOP/call", "engine s", "torch s", "speed vs torch", "engine % peak", "torch % peak",
        "warm-up e/t", "engine RSS MiB", "engine -Xmx MiB", "engine tensors+caches MiB", "torch RSS MiB", "RSS ratio"};
    private final List<Row> rows = new ArrayList<>();
    private final MachinePeak peak;

    ModelReport(MachinePeak peak) {
        this.peak = peak;
    }

    void add(Row r) {
        rows.add(r);
    }

    List<Row> rows() {
        return rows;
    }

    private static String f(String fmt, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v);
    }

    private static double median(Alternation.Result r) {
        return r == null ? Double.NaN : r.stats().median();
    }

    private static String seconds(Alternation.Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.3f ±%.0f%%", r.stats().median(), 50 * r.stats().spread());
    }

    private static String warm(Alternation.Result r) {
        return r == null ? "-" : r.warmupCalls() + (r.settled() ? "" : "*");
    }

    List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Row r : rows) {
            double te = median(r.engine);
            double tt = median(r.torch);
            double peakGflops = peak.gflops();
            MemoryProbe.EngineMemory em = r.engineMemory;
            MemoryProbe.TorchMemory tm = r.torchMemory;
            out.add(new String[] {r.c.label().replaceAll(" +", " "), f("%.1f", r.gflopsPerCall), seconds(r.engine), seconds(r.torch),
                f("%.2fx", tt / te), f("%.0f%%", 100 * r.gflopsPerCall / te / peakGflops), f("%.0f%%", 100 * r.gflopsPerCall / tt / peakGflops),
                warm(r.engine) + "/" + warm(r.torch),
                em == null ? "-" : f("%.0f", em.rssMiB()), em == null ? "-" : Integer.toString(em.heapMiB()),
                em == null ? "-" : f("%.0f", em.trackerMiB()) + "+" + f("%.0f", em.cacheMiB()),
                tm == null ? "-" : f("%.0f", tm.rssMiB()), em == null || tm == null ? "-" : f("%.2f", em.rssMiB() / tm.rssMiB())});
        }
        return out;
    }

    /**
     * Sparse/dense time ratios per kind (engine and torch) against the FLOP ratio. Timed in one alternation, the
     * ratio is the median of the rounds' ratios (± half their interquartile range): each round ran both cases
     * within seconds of each other, so a change in the shared machine's speed between cases, which moved the
     * ratio of separately timed medians by up to 0.1, cancels. Otherwise it is the ratio of the two medians.
     */
    List<String> ratios() {
        List<String> out = new ArrayList<>();
        for (String kind : List.of(ModelCase.INFERENCE, ModelCase.TRAIN)) {
            Row dense = find(kind, false);
            Row sparse = find(kind, true);
            if (dense == null || sparse == null || dense.engine == null || sparse.engine == null) {
                continue;   // not timed (a memory-only run)
            }
            boolean paired = sparse.sameTurns && dense.sameTurns;
            double fl = sparse.gflopsPerCall / dense.gflopsPerCall;
            Ratio e = Ratio.of(sparse.engine, dense.engine, paired);
            Ratio t = Ratio.of(sparse.torch, dense.torch, paired);
            out.add(String.format(Locale.ROOT, "%s sparse/dense time: engine %s, torch %s (%s); FLOP ratio %.2f (engine %.1f%% off it)",
                    kind, e.text, t.text, paired ? "per round of one alternation" : "medians of separate alternations", fl,
                    100 * Math.abs(e.value - fl) / fl));
        }
        return out;
    }

    /** A sparse/dense time ratio and how it is shown: "0.67 ±2%" per round, "0.67" from two medians, "-" if untimed. */
    private record Ratio(double value, String text) {
        static Ratio of(Alternation.Result sparse, Alternation.Result dense, boolean paired) {
            if (sparse == null || dense == null) {
                return new Ratio(Double.NaN, "-");
            }
            if (!paired) {
                double v = median(sparse) / median(dense);
                return new Ratio(v, f("%.2f", v));
            }
            Stats s = perRound(sparse, dense);
            return new Ratio(s.median(), String.format(Locale.ROOT, "%.2f ±%.0f%%", s.median(), 50 * s.spread()));
        }
    }

    /** The ratios a/b of two sides of one alternation, round by round (their i-th times fell in the same round). */
    static Stats perRound(Alternation.Result a, Alternation.Result b) {
        if (a.times().size() != b.times().size()) {
            throw new IllegalArgumentException("per-round ratio: " + a.times().size() + " against " + b.times().size()
                    + " repetitions; the sides were not timed in one alternation");
        }
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.times().size(); i++) {
            r.add(a.times().get(i) / b.times().get(i));
        }
        return Stats.of(r);
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
        StringBuilder sb = new StringBuilder(TextTable.aligned(HEAD, cells()));
        ratios().forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder(TextTable.markdown(HEAD, cells()));
        ratios().forEach(r -> sb.append('\n').append(r).append('\n'));
        return sb.toString();
    }
}
