package org.sparsetuning.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sparsetuning.bench.fair.Alternation;
import org.sparsetuning.bench.fair.Blocks;
import org.sparsetuning.bench.fair.FairOptions;
import org.sparsetuning.bench.fair.LoadAverage;
import org.sparsetuning.bench.fair.MachinePeak;
import org.sparsetuning.bench.fair.PeerEnvironment;
import org.sparsetuning.bench.fair.PeerProcess;
import org.sparsetuning.bench.fair.Quiet;
import org.sparsetuning.bench.fair.Sampler;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.cpu.simd.gemm.MicroKernelProbe;
import org.sparsetuning.app.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./sparse-tune bench}: the engine's kernels on the ViT-B shapes beside OpenBLAS (numpy) and PyTorch
 * CPU, measured in the same invocation under the fair rules of bench-model: peers in a fair environment
 * (their BLAS kernel printed), warm-up until settled, engine and peer repetitions alternated.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark report: engine kernels vs OpenBLAS (numpy) and PyTorch CPU on ViT-B shapes, same run, fair peers.")
public final class BenchCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--batches", split = ",", defaultValue = "1,8", description = "Batch sizes B; tokens M = 197·B (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--ops", split = ",", defaultValue = "gemm,softmax,layernorm,gelu", description = "Operations: gemm, softmax, layernorm, gelu, add (default: ${DEFAULT-VALUE}).")
    List<String> ops;

    @Option(names = "--peer-script", defaultValue = "tools/bench/peers.py", description = "The peer script (default: ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--seconds", defaultValue = "1.0", description = "Minimum measured seconds per case, all sides together (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--block-seconds", defaultValue = "0.05", description = "One repetition: back-to-back calls lasting about this long (default: ${DEFAULT-VALUE}).")
    double blockSeconds;

    @Option(names = "--markdown", description = "Also write the table as Markdown to this file.")
    Path markdown;

    @Mixin
    FairOptions fair;

    static final int[][] GEMM_KN = {{768, 2304}, {768, 768}, {768, 3072}, {3072, 768}};

    List<BenchCase> cases(int t) {
        List<BenchCase> out = new ArrayList<>();
        for (String op : ops) {
            for (int b : batches) {
                int m = 197 * b;
                switch (op) {
                    case "gemm":
                        for (int[] kn : GEMM_KN) {
                            int[] s = {m, kn[0], kn[1]};
                            out.add(new BenchCase("gemm", s, t, "normal", "fixed"));
                            out.add(new BenchCase("gemm", s, t, "transposed", "fixed"));
                            out.add(new BenchCase("gemm", s, t, "transposed", "changing"));
                            out.add(new BenchCase("gemm", s, t, "transposed", "frozen"));
                        }
                        break;
                    case "softmax":
                        out.add(new BenchCase("softmax", new int[] {b, 12, 197, 197}, t, "-", "-"));
                        break;
                    case "layernorm":
                        out.add(new BenchCase("layernorm", new int[] {m, 768}, t, "-", "-"));
                        out.add(new BenchCase("layernorm", new int[] {m, 3072}, t, "-", "-"));
                        break;
                    case "gelu":
                        out.add(new BenchCase("gelu", new int[] {m, 768}, t, "-", "-"));
                        out.add(new BenchCase("gelu", new int[] {m, 3072}, t, "-", "-"));
                        break;
                    case "add":
                        out.add(new BenchCase("add", new int[] {m, 768}, t, "-", "-"));
                        out.add(new BenchCase("add", new int[] {m, 3072}, t, "-", "-"));
                        break;
                    default:
                        throw new IllegalArgumentException("--ops: unknown operation '" + op + "' (expected gemm, softmax, layernorm, gelu, add)");
                }
            }
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode peerJson(BenchCase c) {
        var o = PeerProcess.object().put("op", c.op()).put("layout", c.layout()).put("weight", c.weight());
        var sh = o.putArray("shape");
        for (int s : c.shape()) {
            sh.add(s);
        }
        return o;
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
        threads.forEach(this::cases);
        String why = fair.noPeers ? "--no-peers" : !Files.isRegularFile(peerScript) ? "peer script " + peerScript + " not found (run from the repository root)"
                : !Files.isExecutable(Path.of(fair.python)) ? fair.python + " not found (apt-get install python3-numpy python3-torch libopenblas0-pthread)" : null;
        if (why != null) {
            System.err.println("bench: peers not measured: " + why);
        }
        System.out.printf(Locale.ROOT, "Engine: CPU backend '%s', Java %s, %d processors%n", Backends.cpu().name(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        Map<Integer, MachinePeak> peaks = new LinkedHashMap<>();
        Map<BenchCase, Map<String, Alternation.Result>> rows = new LinkedHashMap<>();
        for (int t : threads) {
            MachinePeak peak = MachinePeak.of(t, fair.clockGhz);
            peaks.put(t, peak);
            System.out.println("At " + t + " thread(s): " + peak.describe() + "; load average " + LoadAverage.oneMinute() + " before");
            if (cases(t).stream().anyMatch(BenchCase::isGemm)) {
                double kernel = MicroKernelProbe.bestGflops(3000);
                double core = peak.gflops() / peak.cores();
                System.out.printf(Locale.ROOT, "  GEMM ceiling: the 8x3-vector micro-kernel alone, operands in cache, %.1f GFLOP/s on one core "
                        + "= %.0f%% of one core's peak (a product pays its loop nest, memory traffic and threads on top)%n",
                        kernel, 100 * kernel / core);
            }
            PeerEnvironment.Built env = fair.peerEnvironment(t);
            try (PeerProcess numpy = why == null ? new PeerProcess("numpy peer", List.of(fair.python, peerScript.toString(), "--lib", "numpy"), env) : null;
                 PeerProcess torch = why == null ? new PeerProcess("PyTorch peer", List.of(fair.python, peerScript.toString(), "--lib", "torch"), env) : null) {
                if (why == null) {
                    System.out.println("  OpenBLAS peer: " + FairOptions.describePeer(numpy.info()));
                    System.out.println("  PyTorch peer: " + FairOptions.describePeer(torch.info()));
                    System.out.println("  " + FairOptions.describe(env));
                }
                Quiet quiet = why == null ? Quiet.of(List.of(numpy.pid(), torch.pid())) : Quiet.of(List.of());
                Alternation alternation = new Alternation(fair.settleRule(), 5, 400, seconds, quiet);
                List<BenchCase> cs = cases(t);
                int i = 0;
                for (BenchCase c : cs) {
                    Map<String, Sampler> sides = new LinkedHashMap<>();
                    Runnable op = EngineRunner.prepare(c);
                    // Each side's block size is calibrated on an idle machine, as its turns are timed. Without the
                    // wait the first case's engine calibration ran on a busy machine, just after the peers started,
                    // and sized the batch-1 softmax blocks to 5 calls: 4 GB/s in the table, 22-23 GB/s with it.
                    quiet.await();
                    sides.put("engine", Blocks.engine(op, Blocks.calibrate(Blocks.engine(op, 1), blockSeconds)));
                    if (why == null) {
                        if (c.isGemm()) {
                            numpy.setup(peerJson(c));
                            quiet.await();
                            sides.put("numpy", Blocks.peer(numpy, Blocks.calibrate(Blocks.peer(numpy, 1), blockSeconds)));
                        }
                        torch.setup(peerJson(c));
                        quiet.await();
                        sides.put("torch", Blocks.peer(torch, Blocks.calibrate(Blocks.peer(torch, 1), blockSeconds)));
                    }
                    Map<String, Alternation.Result> r = alternation.run(sides);
                    rows.put(c, r);
                    System.err.printf(Locale.ROOT, "  [%d/%d t=%d] %-38s engine %8.2f %s%n", ++i, cs.size(), t, c.describe(),
                            c.rate(r.get("engine").stats().median()), c.unit());
                }
                System.out.println("  load average " + LoadAverage.oneMinute() + " after the " + t + "-thread cases; " + quiet.describe());
            }
        }
        ReportTable table = new ReportTable(rows, peaks);
        System.out.println();
        System.out.print(table.text());
        if (markdown != null) {
            Files.writeString(markdown, table.markdown());
            System.out.println("Markdown table written to " + markdown);
        }
        return 0;
    }
}
