package org.sparsetuning.tensor.cpu.simd.gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-call-site GEMM timing for profiling a model (off unless {@code -Dsparsetuning.gemm.profile=true}):
 * wall time, calls and flops per product shape and operand layout, printed to stderr at exit with each
 * shape's GFLOP/s, so a step's time can be split into GEMM efficiency per call site. The shape key stands
 * for the call site (the ViT's layers each have their own shapes and layouts).
 */
final class GemmProfile {
    static final boolean ON = Boolean.getBoolean("sparsetuning.gemm.profile");
    private static final Map<String, Site> SITES = new ConcurrentHashMap<>();
    /** Off while a benchmark warms up ({@link Gemm#profileRecording}), so the profile shows steady-state calls. */
    private static volatile boolean recording = true;
    private static final LongAdder LEFT_OUT = new LongAdder();

    private static final class Site {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder packNanos = new LongAdder();
        final LongAdder flops = new LongAdder();
    }

    static {
        if (ON) {
            Runtime.getRuntime().addShutdownHook(new Thread(GemmProfile::print, "gemm-profile"));
        }
    }

    private GemmProfile() {
    }

    /** B's layout: frozen panels used as packed, repacked from frozen panels, or packed from rows / columns. */
    static String key(int batches, int m, int n, int k, MatrixView a, String b) {
        String al = a.rowMajor() ? "A" : a.colMajor() ? "At" : "A?";
        return String.format(Locale.ROOT, "%4d x [%5d x %4d] . [%4d x %4d] %-3s B:%s", batches, m, k, k, n, al, b);
    }

    static void recording(boolean on) {
        recording = on;
    }

    static void record(String key, long nanos, long packNanos, long flops) {
        if (!recording) {
            LEFT_OUT.increment();
            return;
        }
        Site s = SITES.computeIfAbsent(key, x -> new Site());
        s.calls.increment();
        s.nanos.add(nanos);
        s.packNanos.add(packNanos);
        s.flops.add(flops);
    }

    private static void print() {
        List<Map.Entry<String, Site>> sites = new ArrayList<>(SITES.entrySet());
        sites.sort((x, y) -> Long.compare(y.getValue().nanos.sum(), x.getValue().nanos.sum()));
        double total = 0;
        double totalFlops = 0;
        for (Map.Entry<String, Site> e : sites) {
            total += e.getValue().nanos.sum();
            totalFlops += e.getValue().flops.sum();
        }
        System.err.printf(Locale.ROOT, "GEMM profile: %.3f s, %.1f GFLOP, %.1f GFLOP/s overall; packed frozen weights"
                + " unpacked by other readers: %d%n", total / 1e9, totalFlops / 1e9, totalFlops / Math.max(total, 1),
                org.sparsetuning.tensor.storage.FloatStorage.unpacks());
        if (LEFT_OUT.sum() > 0) {
            System.err.printf(Locale.ROOT, "  (%d calls made while recording was off, such as a benchmark's warm-ups, are left out)%n", LEFT_OUT.sum());
        }
        System.err.println("  share    s       calls  GFLOP/s  pack%  site");
        for (Map.Entry<String, Site> e : sites) {
            Site s = e.getValue();
            double ns = s.nanos.sum();
            System.err.printf(Locale.ROOT, "  %5.1f%% %7.3f %7d %8.1f %5.1f%%  %s%n", 100 * ns / total, ns / 1e9,
                    s.calls.sum(), s.flops.sum() / Math.max(ns, 1), 100.0 * s.packNanos.sum() / Math.max(ns, 1),
                    e.getKey());
        }
    }
}
