package org.sparsetuning.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.app.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sparse-tune bench}: the engine's kernels on the ViT-B shapes beside OpenBLAS (numpy) and
 * PyTorch CPU, measured in the same invocation, with the ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark report: engine kernels vs OpenBLAS (numpy) and PyTorch CPU on ViT-B shapes, same run.")
public final class BenchCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--batches", split = ",", defaultValue = "1,8", description = "Batch sizes B; tokens M = 197·B (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--ops", split = ",", defaultValue = "gemm,softmax,layernorm,gelu", description = "Operations (default: ${DEFAULT-VALUE}).")
    List<String> ops;

    @Option(names = "--no-peers", description = "Skip the Python peers.")
    boolean noPeers;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with Debian's numpy and torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-script", defaultValue = "tools/bench/peers.py", description = "The peer timing script (default: ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--blas-core", description = "OPENBLAS_CORETYPE for the peers (default: SkylakeX on AVX-512 CPUs, "
            + "OpenBLAS's fastest kernels here; 'env' keeps the environment's).")
    String blasCore;

    @Option(names = "--seconds", defaultValue = "0.4", description = "Minimum measured seconds per case (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--markdown", description = "Also write the table as Markdown to this file.")
    Path markdown;

    static final int[][] GEMM_KN = {{768, 2304}, {768, 768}, {768, 3072}, {3072, 768}};

    List<BenchCase> cases(int t) {
        List<BenchCase> out = new ArrayList<>();
        for (String op : ops) {
            for (int b : batches) {
                int m = 197 * b;
                switch (op) {
                    case "gemm":
                        for (int[] kn : GEMM_KN) {
                            out.add(new BenchCase("gemm", new int[] {m, kn[0], kn[1]}, t, "normal", false));
                            out.add(new BenchCase("gemm", new int[] {m, kn[0], kn[1]}, t, "transposed", false));
                            out.add(new BenchCase("gemm", new int[] {m, kn[0], kn[1]}, t, "transposed", true));
                        }
                        break;
                    case "softmax":
                        out.add(new BenchCase("softmax", new int[] {b, 12, 197, 197}, t, "-", false));
                        break;
                    case "layernorm":
                        out.add(new BenchCase("layernorm", new int[] {m, 768}, t, "-", false));
                        out.add(new BenchCase("layernorm", new int[] {m, 3072}, t, "-", false));
                        break;
                    case "gelu":
                        out.add(new BenchCase("gelu", new int[] {m, 768}, t, "-", false));
                        out.add(new BenchCase("gelu", new int[] {m, 3072}, t, "-", false));
                        break;
                    default:
                        throw new IllegalArgumentException("--ops: unknown operation '" + op + "' (expected gemm, softmax, layernorm, gelu)");
                }
            }
        }
        return out;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (int t : threads) {
            if (t < 1) {
                throw new IllegalArgumentException("--threads: " + t + " is not a positive thread count");
            }
        }
        for (int b : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("--batches: " + b + " is not a positive batch size");
            }
        }
        String core = blasCore == null ? PeerRunner.fastestBlasCore() : blasCore.equals("env") ? null : blasCore;
        PeerRunner peers = new PeerRunner(python, peerScript, core);
        String why = noPeers ? "--no-peers" : peers.unavailableReason();
        if (why != null) {
            System.err.println("bench: peers not measured: " + why);
        }
        System.out.printf("Engine: CPU backend '%s', Java %s, %d processors%n", Backends.cpu().name(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        EngineRunner engine = new EngineRunner(0.3, seconds);
        Map<BenchCase, double[]> rows = new LinkedHashMap<>();
        for (int t : threads) {
            List<BenchCase> cs = cases(t);
            int i = 0;
            for (BenchCase c : cs) {
                double s = engine.seconds(c);
                rows.put(c, new double[] {s, Double.NaN, Double.NaN});
                System.err.printf("  [%d/%d t=%d] %-38s %8.2f %s%n", ++i, cs.size(), t, c.describe(), c.rate(s), c.unit());
            }
            if (why == null) {
                System.err.printf("  peers at %d thread(s)...%n", t);
                Map<String, Map<String, Double>> r = peers.run(cs, t);
                for (BenchCase c : cs) {
                    Map<String, Double> m = r.getOrDefault(c.id(), Map.of());
                    double[] row = rows.get(c);
                    row[1] = m.getOrDefault("numpy", Double.NaN);
                    row[2] = m.getOrDefault("torch", Double.NaN);
                }
            }
        }
        ReportTable table = new ReportTable(rows);
        System.out.println();
        System.out.print(table.text());
        if (why == null) {
            System.out.println("Peers: " + peers.versions() + "; OMP_WAIT_POLICY=PASSIVE, thread counts as listed.");
        }
        if (markdown != null) {
            Files.writeString(markdown, table.markdown());
            System.out.println("Markdown table written to " + markdown);
        }
        return 0;
    }
}
