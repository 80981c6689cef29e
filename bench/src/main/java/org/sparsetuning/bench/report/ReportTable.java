package org.sparsetuning.bench.report;

import java.util.Map;

/** Formats the measured rows: rates for engine and peers, and the engine's ratio to each peer. */
final class ReportTable {
    private final Map<BenchCase, double[]> rows;

    /** rows: case → {engine seconds, numpy seconds, torch seconds}, NaN where not measured. */
    ReportTable(Map<BenchCase, double[]> rows) {
        this.rows = rows;
    }

    private static String rate(BenchCase c, double s) {
        return Double.isNaN(s) ? "-" : String.format("%.1f", c.rate(s));
    }

    private static String ratio(double engine, double peer) {
        return Double.isNaN(peer) ? "-" : String.format("%.2fx", peer / engine);
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-40s %3s %8s %10s %10s %10s %10s %8s%n";
        sb.append(String.format(fmt, "operation", "thr", "unit", "engine", "OpenBLAS", "PyTorch", "vs BLAS", "vs torch"));
        for (Map.Entry<BenchCase, double[]> e : rows.entrySet()) {
            BenchCase c = e.getKey();
            double[] r = e.getValue();
            sb.append(String.format(fmt, c.describe(), c.threads(), c.unit(), rate(c, r[0]), rate(c, r[1]), rate(c, r[2]),
                    ratio(r[0], r[1]), ratio(r[0], r[2])));
        }
        sb.append("Ratios are engine speed / peer speed (above 1 = engine faster); GB/s counts one read and one write.\n");
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| operation | threads | unit | engine | OpenBLAS | PyTorch | engine/OpenBLAS | engine/PyTorch |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<BenchCase, double[]> e : rows.entrySet()) {
            BenchCase c = e.getKey();
            double[] r = e.getValue();
            sb.append(String.format("| %s | %d | %s | %s | %s | %s | %s | %s |%n", c.describe(), c.threads(), c.unit(),
                    rate(c, r[0]), rate(c, r[1]), rate(c, r[2]), ratio(r[0], r[1]), ratio(r[0], r[2])));
        }
        return sb.toString();
    }
}
