package org.sparsetuning.bench.report;

import java.util.Arrays;
import java.util.Locale;

/**
 * One row of the report: an operation on one shape at one thread count.
 *
 * @param op     gemm, softmax, layernorm, gelu or add (the residual add: x + y, same shape)
 * @param shape  gemm: {M, K, N}; the others: the input shape
 * @param layout gemm only: "normal" (weight [K, N]) or "transposed" (weight stored [N, K], used transposed)
 * @param weight gemm only: "fixed" (the same weight every call, not frozen), "changing" (two weights alternate
 *               call by call, as when every step updates it: nothing packed from one call serves the next) or
 *               "frozen" (the engine packs it once and reuses the panels: a frozen backbone). The peers have no
 *               packed-weight cache, so for them "frozen" is "fixed".
 */
record BenchCase(String op, int[] shape, int threads, String layout, String weight) {

    String id() {
        return op + "-" + Arrays.toString(shape).replace(" ", "") + "-" + layout + "-" + weight + "-t" + threads;
    }

    boolean isGemm() {
        return op.equals("gemm");
    }

    long elements() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * FLOPs for GEMM (2·M·N·K); bytes moved for the memory-bound ops (one read and one write of float32, two reads
     * for add).
     */
    double work() {
        if (isGemm()) {
            return 2.0 * shape[0] * shape[1] * shape[2];
        }
        return (op.equals("add") ? 3.0 : 2.0) * 4 * elements();
    }

    /** GFLOP/s or GB/s for a time in seconds. */
    double rate(double seconds) {
        return work() / seconds / 1e9;
    }

    String unit() {
        return isGemm() ? "GFLOP/s" : "GB/s";
    }

    String describe() {
        if (isGemm()) {
            String w = layout.equals("transposed") ? "x·Wᵀ" : "x·W";
            String kind = switch (weight) {
                case "frozen" -> " packed";
                case "changing" -> " changing W";
                default -> "";
            };
            return String.format(Locale.ROOT, "gemm %s %dx%dx%d%s", w, shape[0], shape[1], shape[2], kind);
        }
        return op + " " + Arrays.toString(shape).replace(" ", "");
    }
}
