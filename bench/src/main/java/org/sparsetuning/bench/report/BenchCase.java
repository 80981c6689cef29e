package org.sparsetuning.bench.report;

import java.util.Arrays;

/**
 * One row of the report: an operation on one shape at one thread count.
 *
 * @param op     gemm, softmax, layernorm or gelu
 * @param shape  gemm: {M, K, N}; the others: the input shape
 * @param layout gemm only: "normal" (weight [K, N]) or "transposed" (weight stored [N, K], used transposed)
 * @param frozen gemm only: the weight is frozen, so the engine packs it once (a frozen backbone)
 */
record BenchCase(String op, int[] shape, int threads, String layout, boolean frozen) {

    String id() {
        return op + "-" + Arrays.toString(shape).replace(" ", "") + "-" + layout + (frozen ? "-frozen" : "") + "-t" + threads;
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

    /** FLOPs for GEMM (2·M·N·K); bytes moved for the memory-bound ops (one read and one write of float32). */
    double work() {
        if (isGemm()) {
            return 2.0 * shape[0] * shape[1] * shape[2];
        }
        return 2.0 * 4 * elements();
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
            return String.format("gemm %s %dx%dx%d%s", w, shape[0], shape[1], shape[2], frozen ? " packed" : "");
        }
        return op + " " + Arrays.toString(shape).replace(" ", "");
    }
}
