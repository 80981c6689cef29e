package org.sparsetuning.bench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import org.sparsetuning.tensor.cpu.simd.gemm.Gemm;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.app.CliCommand;
import org.sparsetuning.vit.flops.Flops;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./sparse-tune bench-model}: ViT inference and training steps on the engine beside the same model in
 * PyTorch CPU (tools/torchref through tools/bench/vit_torch.py), measured fairly: the peer runs at its best
 * by construction ({@link org.sparsetuning.bench.fair.PeerEnvironment}), both sides warm up until their times
 * settle, then take turns so drift falls on both, and memory is measured per case in child processes that run
 * only that case (the engine's JVM with the smallest heap that completes it). One table per model and batch.
 */
@Command(name = "bench-model", mixinStandardHelpOptions = true,
        description = "Whole-model benchmark: ViT inference and training steps, engine vs PyTorch CPU, same run, fair peer.")
public final class ModelBenchCommand implements CliCommand {
    @Option(names = "--model", split = ",", defaultValue = "vit-b", description = "Presets, one table each: vit-ti, vit-s, vit-b, vit-l (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--batch", split = ",", defaultValue = "8", description = "Batch sizes, one table each (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--frames", defaultValue = "0",
            description = "Frames T per input clip on both sides (SPEC H: Conv3d tubelet embedding, [B, 3, T, H, W] inputs); 0 = images (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--tubelet", defaultValue = "" + VitConfig.DEFAULT_TUBELET,
            description = "Frames t per tubelet token when --frames > 0 (default: ${DEFAULT-VALUE}).")
    int tubelet;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for both sides (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cases", split = ",", defaultValue = "infer-dense,infer-sparse,train-sparse,train-dense,train-adaptformer,train-full",
            description = "Cases (default: ${DEFAULT-VALUE}).")
    List<String> caseNames;

    @Option(names = "--pair", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Time each kind's sparse and dense Sparse-Tuning cases in one alternation (both cases' engine and"
                    + " peer take turns; two peer processes), so their time ratio is taken round by round; --no-pair times"
                    + " every case alone (default: ${DEFAULT-VALUE}).")
    boolean pair;

    @Option(names = "--keep-rate", defaultValue = "0.7", description = "ρ of the sparse cases (default: ${DEFAULT-VALUE}).")
    double keepRate;

    @Option(names = "--adapter-dim", defaultValue = "32", description = "d' of the Dense Adapters (default: ${DEFAULT-VALUE}).")
    int adapterDim;

    @Option(names = "--measure", split = ",", defaultValue = "time,memory", description = "time, memory or both (default: ${DEFAULT-VALUE}).")
    List<String> measure;

    @Option(names = "--seconds", defaultValue = "20", description = "Minimum measured seconds per case, all sides together (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--runs", defaultValue = "5", description = "Minimum alternated repetitions per side (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--max-runs", defaultValue = "30", description = "Maximum alternated repetitions per side (default: ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--max-heap", defaultValue = "8192", description = "Largest -Xmx (MiB) the heap search tries (default: ${DEFAULT-VALUE}).")
    int maxHeap;

    @Option(names = "--heap-resolution", defaultValue = "32", description = "The heap search stops within this many MiB (default: ${DEFAULT-VALUE}).")
    int heapResolution;

    @Option(names = "--memory-steps", defaultValue = "2", description = "Calls a memory child runs (default: ${DEFAULT-VALUE}).")
    int memorySteps;

    @Option(names = "--peer-script", defaultValue = "tools/bench/vit_torch.py", description = "The peer (default: ${DEFAULT-VALUE}).")
    Path peerScript;

    @Option(names = "--markdown", description = "Also write the tables as Markdown to this file.")
    Path markdown;

    @Mixin
    FairOptions fair;

    List<ModelCase> cases(int batch) {
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

    /**
     * The cases in the groups that are timed together, in the order of the first of each: every case alone, but
     * with pairing a kind's sparse and dense Sparse-Tuning cases (ρ < 1 and ρ = 1) in one group. Timed in separate
     * alternations, minutes apart on a shared machine, their time ratio moved by up to 0.1 between runs (0.57 to
     * 0.77 for the batch-8 training step against a FLOP ratio of 0.66).
     */
    static List<List<ModelCase>> timedTogether(List<ModelCase> cases, boolean pair) {
        List<List<ModelCase>> out = new ArrayList<>();
        Map<String, List<ModelCase>> open = new HashMap<>();   // per kind: a Sparse-Tuning group still without its partner
        for (ModelCase c : cases) {
            boolean pairable = pair && c.method().equals(VitConfig.SPARSE_TUNING);
            List<ModelCase> partner = pairable ? open.get(c.kind()) : null;
            if (partner != null && (partner.get(0).keepRate() < 1) != (c.keepRate() < 1)) {
                partner.add(c);
                open.remove(c.kind());
                continue;
            }
            List<ModelCase> group = new ArrayList<>(List.of(c));
            if (pairable) {
                open.putIfAbsent(c.kind(), group);
            }
            out.add(group);
        }
        return out;
    }

    /** The preset, as a clip model of {@code frames} frames in tubelets of {@code tubelet} when frames > 0. */
    static VitConfig preset(String name, int frames, int tubelet) {
        VitConfig image;
        try {
            image = VitConfig.preset(name, 100);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
        if (frames < 0) {
            throw new IllegalArgumentException("--frames: expected 0 (images) or a positive frame count, got " + frames);
        }
        if (tubelet < 1) {
            throw new IllegalArgumentException("--tubelet: expected a positive frame count, got " + tubelet);
        }
        if (frames % tubelet != 0) {
            throw new IllegalArgumentException("--frames: " + frames + " is not a multiple of --tubelet " + tubelet);
        }
        return frames == 0 ? image : image.withClip(frames, tubelet);
    }

    /** What a table's title says of the input: the image size, and for a clip its frames, tubelet and tokens. */
    static String inputDescription(VitConfig cfg) {
        String size = cfg.imgSize() + "x" + cfg.imgSize();
        int tokens = 1 + cfg.numPatches();   // CLS + patch (tubelet) tokens
        return cfg.isClip()
                ? String.format(Locale.ROOT, "%d frames of %s, tubelet %d, %d tokens", cfg.numFrames(), size, cfg.tubeletSize(), tokens)
                : String.format(Locale.ROOT, "%s, %d tokens", size, tokens);
    }

    private void validate() {
        if (threads < 1 || runs < 1 || maxRuns < runs || maxHeap < 128 || heapResolution < 1 || memorySteps < 1) {
            throw new IllegalArgumentException("--threads, --runs, --heap-resolution and --memory-steps must be positive, --max-runs >= --runs, --max-heap >= 128");
        }
        for (int b : batches) {
            if (b < 1) {
                throw new IllegalArgumentException("--batch: " + b + " is not a positive batch size");
            }
        }
        if (!(keepRate > 0 && keepRate <= 1)) {
            throw new IllegalArgumentException("--keep-rate: expected a value in (0, 1], got " + keepRate);
        }
        for (String m : measure) {
            if (!m.equals("time") && !m.equals("memory")) {
                throw new IllegalArgumentException("--measure: expected time and/or memory, got '" + m + "'");
            }
        }
        models.forEach(m -> preset(m, frames, tubelet));
        cases(1);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        boolean time = measure.contains("time");
        boolean memory = measure.contains("memory");
        Parallel.setThreads(threads);
        // The GEMM and team profiles (-Dsparsetuning.gemm.profile=true, -Dsparsetuning.parallel.profile=true) record
        // the timed repetitions only (the alternation turns them on for them): not the warm-ups, nor the FLOP
        // count's forward passes, whose first calls are cold.
        Gemm.profileRecording(false);
        Parallel.profileRecording(false);
        PeerEnvironment.Built env = fair.peerEnvironment(threads);
        List<String> peerCmd = List.of(fair.python, peerScript.toString());
        String why = fair.noPeers ? "--no-peers" : !Files.isRegularFile(peerScript) ? "peer script " + peerScript + " not found (run from the repository root)"
                : !Files.isExecutable(Path.of(fair.python)) ? fair.python + " not found (apt-get install python3-torch)" : null;
        if (why != null) {
            System.err.println("bench-model: PyTorch not measured: " + why);
        }
        MachinePeak peak = MachinePeak.of(threads, fair.clockGhz);
        System.out.printf(Locale.ROOT, "Engine: CPU backend '%s', Java %s, %d threads; %s%n", Backends.cpu().name(),
                System.getProperty("java.version"), threads, peak.describe());
        if (why == null) {
            try (PeerProcess p = new PeerProcess("PyTorch peer", peerCmd, env)) {
                System.out.println("Peer: " + FairOptions.describePeer(p.info()) + "; " + FairOptions.describe(env));
            }
        }
        StringBuilder md = new StringBuilder();
        for (String model : models) {
            VitConfig preset = preset(model, frames, tubelet);
            for (int batch : batches) {
                String loadBefore = LoadAverage.oneMinute();
                ModelReport report = table(model, preset, batch, time, memory, why == null ? peerCmd : null, env, peak);
                String title = String.format(Locale.ROOT, "%s at %s, batch %d, %d threads (load average %s before, %s after)", model,
                        inputDescription(preset), batch, threads, loadBefore, LoadAverage.oneMinute());
                System.out.println();
                System.out.println(title);
                System.out.print(report.text());
                md.append("### ").append(title).append("\n\n").append(report.markdown()).append('\n');
            }
        }
        System.out.println();
        System.out.println("Times: median of alternated repetitions (engine, torch, engine, ...) ± half the interquartile range; warm-up e/t: calls"
                + " until the times settled (* = stopped unsettled). % peak: GFLOP/call / seconds over the fp32 peak; GFLOP/call = 2 x fvcore"
                + " count x batch, x2 for a training step with a frozen backbone, x3 for full fine-tuning. RSS: peak resident memory (VmHWM)"
                + " of a child process that ran only the case (" + memorySteps + " calls); engine -Xmx: the smallest heap with which the"
                + " child completed (bisection); tensors+caches: MemoryTracker's peak (weights included) + Backend.cachedBytes.");
        if (markdown != null) {
            Files.writeString(markdown, md.toString());
            System.out.println("Markdown written to " + markdown);
        }
        return 0;
    }

    private ModelReport table(String model, VitConfig preset, int batch, boolean time, boolean memory, List<String> peerCmd,
                              PeerEnvironment.Built env, MachinePeak peak) throws IOException, InterruptedException {
        ModelReport report = new ModelReport(peak);
        List<ModelCase> cases = cases(batch);
        List<List<ModelCase>> groups = timedTogether(cases, pair);
        MemoryProbe probe = new MemoryProbe(model, frames, tubelet, threads, memorySteps, maxHeap, heapResolution);
        List<PeerProcess> peers = new ArrayList<>();   // one per case of the largest group: each holds one case's model
        try {
            int perGroup = groups.stream().mapToInt(List::size).max().orElse(1);
            for (int j = 0; peerCmd != null && time && j < perGroup; j++) {
                peers.add(new PeerProcess("PyTorch peer" + (j == 0 ? "" : " " + (j + 1)), peerCmd, env));
            }
            Quiet quiet = Quiet.of(peers.stream().map(PeerProcess::pid).toList());
            Alternation alternation = new Alternation(fair.settleRule(), runs, maxRuns, seconds, quiet)
                    .measuring(on -> {
                        Gemm.profileRecording(on);
                        Parallel.profileRecording(on);
                    });
            int i = 0;
            for (List<ModelCase> group : groups) {
                List<VitConfig> cfgs = new ArrayList<>();
                List<Double> gflops = new ArrayList<>();
                Map<String, Sampler> sides = new LinkedHashMap<>();
                for (int j = 0; j < group.size(); j++) {
                    ModelCase c = group.get(j);
                    VitConfig cfg = EngineModelCase.config(c, preset);
                    cfgs.add(cfg);
                    gflops.add(c.gflopsPerCall(Flops.count(cfg).gflops()));
                    System.err.printf(Locale.ROOT, "  [%d/%d] %s %s%s%n", ++i, cases.size(), model, c.label(),
                            time && group.size() > 1 ? " (timed with the " + (j == 0 ? "next" : "previous") + " case, turn by turn)" : "");
                    if (time) {
                        sides.put("engine " + j, Blocks.engine(new EngineModelCase(c, cfg), 1));
                        if (!peers.isEmpty()) {
                            peers.get(j).setup(c.peerJson(cfg));
                            sides.put("torch " + j, Blocks.peer(peers.get(j), 1));
                        }
                    }
                }
                Map<String, Alternation.Result> r = time ? alternation.run(sides) : Map.of();
                sides = null;
                System.gc();   // the group's models and packed panels go before the next group's
                for (int j = 0; j < group.size(); j++) {
                    ModelCase c = group.get(j);
                    Alternation.Result e = r.get("engine " + j);
                    Alternation.Result t = r.get("torch " + j);
                    if (e != null) {
                        System.err.printf(Locale.ROOT, "         %s: engine %s%s%n", c.label().replaceAll(" +", " "), e.stats().describe("%.3f s"),
                                t == null ? "" : ", torch " + t.stats().describe("%.3f s"));
                    }
                    MemoryProbe.EngineMemory em = null;
                    MemoryProbe.TorchMemory tm = null;
                    if (memory) {
                        em = probe.engine(c);
                        if (peerCmd != null) {
                            tm = MemoryProbe.torch(peerCmd, env, c.peerJson(cfgs.get(j)), memorySteps);
                        }
                        System.err.printf(Locale.ROOT, "         memory: engine RSS %.0f MiB at -Xmx%dm (%d trials)%s%n", em.rssMiB(), em.heapMiB(), em.trials(),
                                tm == null ? "" : String.format(Locale.ROOT, ", torch RSS %.0f MiB", tm.rssMiB()));
                    }
                    report.add(new ModelReport.Row(c, gflops.get(j), e, t, em, tm, time && group.size() > 1));
                }
            }
            if (time) {
                System.err.println("  " + quiet.describe());
            }
        } finally {
            closeAll(peers);
        }
        return report;
    }

    /** Closes every peer, even when closing one fails; the first failure is thrown with the others attached. */
    private static void closeAll(List<PeerProcess> peers) throws IOException {
        IOException first = null;
        for (PeerProcess p : peers) {
            try {
                p.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
