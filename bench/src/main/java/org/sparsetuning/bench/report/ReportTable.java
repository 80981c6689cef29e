package org.sparsetuning.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.bench.fair.Alternation;
import org.sparsetuning.bench.fair.MachinePeak;
import org.sparsetuning.bench.fair.TextTable;

/**
 * Formats the measured rows: median rates for the engine and the peers, the engine's ratio to each peer, the
 * spread of each side's alternated repetitions, and for GEMM the fraction of the fp32 peak.
 */
final class ReportTable {
    static final String[] SIDES = {"engine", "numpy", "torch"};
    private static final String[] HEAD = {"operation", "thr", "unit", "engine", "OpenBLAS", "PyTorch", "vs BLAS", "vs torch",
        "engine % peak", "BLAS % peak", "spread e/b/t"};
    private final Map<BenchCase, Map<String, Alternation.Result>> rows;
    private final Map<Integer, MachinePeak> peaks;

    /** rows: case → side (engine, numpy, torch) → result, a side absent where not measured; peaks per thread count. */
    ReportTable(Map<BenchCase, Map<String, Alternation.Result>> rows, Map<Integer, MachinePeak> peaks) {
        this.rows = rows;
        this.peaks = peaks;
    }

    private static double seconds(Map<String, Alternation.Result> r, String side) {
        Alternation.Result a = r.get(side);
        return a == null ? Double.NaN : a.stats().median();
    }

    private static String f(String fmt, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, fmt, v);
    }

    List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<BenchCase, Map<String, Alternation.Result>> e : rows.entrySet()) {
            BenchCase c = e.getKey();
            Map<String, Alternation.Result> r = e.getValue();
            double se = seconds(r, "engine");
            double sb = seconds(r, "numpy");
            double st = seconds(r, "torch");
            double peak = c.isGemm() && peaks.containsKey(c.threads()) ? peaks.get(c.threads()).gflops() : Double.NaN;
            StringBuilder spread = new StringBuilder();
            for (String side : SIDES) {
                Alternation.Result a = r.get(side);
                spread.append(spread.length() == 0 ? "" : "/").append(a == null ? "-" : f("%.0f", 50 * a.stats().spread()) + (a.settled() ? "" : "*"));
            }
            out.add(new String[] {c.describe(), Integer.toString(c.threads()), c.unit(), f("%.1f", c.rate(se)), f("%.1f", c.rate(sb)),
                f("%.1f", c.rate(st)), f("%.2fx", sb / se), f("%.2fx", st / se), f("%.0f%%", 100 * c.rate(se) / peak),
                f("%.0f%%", 100 * c.rate(sb) / peak), spread + " %"});
        }
        return out;
    }

    String text() {
        return TextTable.aligned(HEAD, cells()) + FOOTNOTE + "\n";
    }

    private static final String FOOTNOTE = "Ratios are engine speed / peer speed (above 1 = engine faster); medians of alternated"
            + " repetitions (engine, OpenBLAS, PyTorch, engine, ...); spread: half the interquartile range in % of the median"
            + " (* = warm-up stopped before the times settled); GB/s counts one read and one write (two reads and one write for add).";

    String markdown() {
        return TextTable.markdown(HEAD, cells()) + "\n" + FOOTNOTE + "\n";
    }
}
