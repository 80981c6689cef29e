package org.sparsetuning.bench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.app.CliCommand;
import org.sparsetuning.vit.flops.Flops;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./sparse-tune bench-model}: ViT inference and training steps on the engine beside the same model in
 * PyTorch CPU (tools/torchref through tools/bench/vit_torch.py), each case's peer run right after it so both
 * see the same machine: seconds, images per second, and memory (peak live tensor bytes, and what a training
 * step keeps for backward).
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = "Whole-model benchmark: ViT inference and training steps, engine vs PyTorch CPU, same run.")
public final class ModelBenchCommand implements CliCommand {
    @Option(names = "--model", defaultValue = "vit-b", description = "Preset: vit-ti, vit-s, vit-b, vit-l (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", defaultValue = "8", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for both engines (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cases", split = ",", defaultValue = "infer-dense,infer-sparse,train-sparse,train-dense,train-adaptformer",
            description = "Cases (default: ${DEFAULT-VALUE}; also train-full).")
    List<String> caseNames;

    @Option(names = "--keep-rate", defaultValue = "0.7", description = "ρ of the sparse cases (default: ${DEFAULT-VALUE}).")
    double keepRate;

    @Option(names = "--adapter-dim", defaultValue = "32", description = "d' of the Dense Adapters (default: ${DEFAULT-VALUE}).")
    int adapterDim;

    @Option(names = "--seconds", defaultValue = "6", description = "Minimum measured seconds per case and engine (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--runs", defaultValue = "3", description = "Minimum measured calls per case and engine (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--no-peers", description = "Skip PyTorch.")
    boolean noPeers;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with Debian's torch (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peer-script", defaultValue = "tools/bench/vit_torch.py", description = "The peer (default: ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--markdown", description = "Also write the table as Markdown to this file.")
    Path markdown;

    List<ModelCase> cases() {
        List<ModelCase> out = new ArrayList<>();
        for (String n : caseNames) {
            out.add(switch (n) {
                case "infer-dense" -> new ModelCase(ModelCase.INFERENCE, VitConfig.SPARSE_TUNING, 1.0, adapterDim, batch);
                case "infer-sparse" -> new ModelCase(ModelCase.INFERENCE, VitConfig.SPARSE_TUNING, keepRate, adapterDim, batch);
                case "train-dense" -> new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, 1.0, adapterDim, batch);
                case "train-sparse" -> new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, keepRate, adapterDim, batch);
                case "train-adaptformer" -> new ModelCase(ModelCase.TRAIN, VitConfig.ADAPTFORMER, 1.0, 64, batch);
                case "train-full" -> new ModelCase(ModelCase.TRAIN, VitConfig.FULL, 1.0, 0, batch);
                default -> throw new IllegalArgumentException("--cases: unknown case '" + n
                        + "' (expected infer-dense, infer-sparse, train-dense, train-sparse, train-adaptformer, train-full)");
            });
        }
        return out;
    }

    static VitConfig preset(String name) {
        try {
            return VitConfig.preset(name, 100);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (batch < 1 || threads < 1 || runs < 1) {
            throw new IllegalArgumentException("--batch, --threads and --runs must be positive");
        }
        if (!(keepRate > 0 && keepRate <= 1)) {
            throw new IllegalArgumentException("--keep-rate: expected a value in (0, 1], got " + keepRate);
        }
        VitConfig preset = preset(model);
        List<ModelCase> cases = cases();
        Parallel.setThreads(threads);
        TorchModelPeer peer = new TorchModelPeer(python, peerScript);
        String why = noPeers ? "--no-peers" : peer.unavailableReason();
        if (why != null) {
            System.err.println("bench-model: PyTorch not measured: " + why);
        }
        System.out.printf(Locale.ROOT, "Engine: CPU backend '%s', Java %s, %d threads; model %s at %dx%d%n", Backends.cpu().name(),
                System.getProperty("java.version"), threads, model, preset.imgSize(), preset.imgSize());
        EngineModelRunner engine = new EngineModelRunner(seconds, runs);
        ModelReport report = new ModelReport();
        int i = 0;
        for (ModelCase c : cases) {
            VitConfig cfg = EngineModelRunner.config(c, preset);
            double gflops = Flops.count(cfg).gflops();
            EngineModelRunner.Result e = engine.run(c, cfg);
            System.err.printf(Locale.ROOT, "  [%d/%d] %s: engine %.3f s (%d runs), peak %.0f MiB%n", ++i, cases.size(), c.label(),
                    e.seconds(), e.runs(), e.peakMiB());
            TorchModelPeer.Result t = null;
            if (why == null) {
                t = peer.run(c, cfg, threads, seconds, runs);
                System.err.printf(Locale.ROOT, "         torch %.3f s (%d runs), peak %.0f MiB%n", t.seconds(), t.runs(), t.peakMiB());
            }
            report.add(c, gflops, e, t);
        }
        System.out.println();
        System.out.print(report.text());
        if (why == null) {
            System.out.println("Peer: PyTorch CPU (" + peer.version() + ", OMP_WAIT_POLICY=PASSIVE) running tools/torchref, each case right after the engine's.");
        }
        if (markdown != null) {
            Files.writeString(markdown, report.markdown());
            System.out.println("Markdown written to " + markdown);
        }
        return 0;
    }
}
