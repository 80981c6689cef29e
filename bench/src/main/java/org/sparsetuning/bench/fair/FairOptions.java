package org.sparsetuning.bench.fair;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The fair-measurement options shared by {@code bench} and {@code bench-model} (a picocli mixin). */
public final class FairOptions {
    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with Debian's numpy and torch (default: ${DEFAULT-VALUE}).")
    public String python;

    @Option(names = "--blas-core", description = "Force OPENBLAS_CORETYPE for the peers (default: unset, OpenBLAS picks its kernels for this CPU; the report prints the one that ran).")
    public String blasCore;

    @Option(names = "--clock-ghz", description = "Core clock for the fp32 peak (default: measured).")
    public Double clockGhz;

    @Option(names = "--warmup-window", defaultValue = "3", description = "Warm-up settles when the median of the last N calls is within the tolerance of the N before (default: ${DEFAULT-VALUE}).")
    public int warmupWindow;

    @Option(names = "--warmup-tolerance", defaultValue = "0.05", description = "Relative tolerance of the settle rule (default: ${DEFAULT-VALUE}).")
    public double warmupTolerance;

    @Option(names = "--warmup-max-calls", defaultValue = "40", description = "Warm-up stops unsettled after this many calls (default: ${DEFAULT-VALUE}).")
    public int warmupMaxCalls;

    @Option(names = "--warmup-max-seconds", defaultValue = "120", description = "... or after this many seconds (default: ${DEFAULT-VALUE}).")
    public double warmupMaxSeconds;

    @Option(names = "--no-peers", description = "Measure the engine only.")
    public boolean noPeers;

    public SettleRule settleRule() {
        return new SettleRule(warmupWindow, warmupTolerance, warmupMaxCalls, warmupMaxSeconds);
    }

    /** The peer's environment: the caller's, made fair (see {@link PeerEnvironment}). */
    public PeerEnvironment.Built peerEnvironment(int threads) {
        return PeerEnvironment.build(System.getenv(), threads, blasCore);
    }

    /** "Peer environment: dropped OPENBLAS_CORETYPE=Haswell, ...; OMP_WAIT_POLICY=PASSIVE, N threads." */
    public static String describe(PeerEnvironment.Built env) {
        StringBuilder sb = new StringBuilder("peer environment: ");
        if (env.removed().isEmpty()) {
            sb.append("nothing inherited to drop");
        } else {
            List<String> dropped = new ArrayList<>();
            env.removed().forEach((k, v) -> dropped.add(k + "=" + v));
            sb.append("dropped ").append(String.join(" ", dropped));
        }
        sb.append("; OMP_WAIT_POLICY=").append(env.env().get("OMP_WAIT_POLICY")).append(", OMP/OPENBLAS/MKL_NUM_THREADS=")
                .append(env.env().get("OMP_NUM_THREADS"));
        if (env.env().containsKey("OPENBLAS_CORETYPE")) {
            sb.append(", OPENBLAS_CORETYPE=").append(env.env().get("OPENBLAS_CORETYPE")).append(" (forced by --blas-core)");
        }
        return sb.toString();
    }

    /** The kernel line a peer's "info" answer gives. */
    public static String describePeer(com.fasterxml.jackson.databind.JsonNode info) {
        StringBuilder sb = new StringBuilder();
        if (info.hasNonNull("torch")) {
            sb.append("PyTorch ").append(info.get("torch").asText()).append(" (").append(info.path("threads").asInt()).append(" threads, BLAS_INFO=")
                    .append(info.path("torch_blas_info").asText("?")).append(", ATen CPU capability ").append(info.path("torch_cpu_capability").asText("?"))
                    .append(")");
        } else if (info.hasNonNull("numpy")) {
            sb.append("numpy ").append(info.get("numpy").asText());
        }
        sb.append(", OpenBLAS kernel ").append(info.path("blas_core").asText("?")).append(" from ").append(info.path("blas_library").asText("?"));
        return sb.toString();
    }
}
