package org.sparsetuning.bench.fair;

import java.util.List;

/** A report's table as aligned plain text (for the terminal) or Markdown (for BENCHMARKS.md). */
public final class TextTable {
    private TextTable() {
    }

    /** The header and rows in columns as wide as their widest cell: the first left-aligned, the rest right-aligned. */
    public static String aligned(String[] head, List<String[]> rows) {
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] c : rows) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        rows.forEach(c -> line(sb, c, w));
        return sb.toString();
    }

    /** The header and rows as a Markdown table. */
    public static String markdown(String[] head, List<String[]> rows) {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", head) + " |\n|");
        sb.append("---|".repeat(head.length)).append('\n');
        rows.forEach(c -> sb.append("| ").append(String.join(" | ", c)).append(" |\n"));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] c, int[] w) {
        for (int i = 0; i < c.length; i++) {
            sb.append(i == 0 ? String.format("%-" + w[i] + "s", c[i]) : String.format("  %" + w[i] + "s", c[i]));
        }
        sb.append('\n');
    }
}
