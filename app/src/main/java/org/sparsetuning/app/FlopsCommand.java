package org.sparsetuning.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.tensor.flops.FlopKind;
import org.sparsetuning.vit.flops.FlopReport;
import org.sparsetuning.vit.flops.Flops;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sparse-tune flops}: GFLOPs (fvcore conventions, SPEC A.9) and parameter counts of a preset, per
 * method and keep rate, with random weights, so no checkpoint is needed.
 */
@Command(name = "flops", mixinStandardHelpOptions = true,
        description = {"GFLOPs of one 1x3xHxW forward pass (1x3xTxHxW with --frames; fvcore conventions: "
                + "a multiply-add is 1 flop, "
                + "LayerNorm 5 per element, bias adds, softmax, GELU and elementwise ops free) and parameter counts, "
                + "per method and keep rate. Random weights; no checkpoint is read."})
public final class FlopsCommand implements CliCommand {
    /** Methods whose size --adapter-dim sets (one row per d'); every other method gets one row. */
    private static final List<String> USE_ADAPTER_DIM = List.of(VitConfig.SPARSE_TUNING, "adaptformer", "adapter");

    @Option(names = "--model", defaultValue = "vit-b", description = "Preset: vit-ti, vit-s, vit-b, vit-l (patch 16, 224 px). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--classes", defaultValue = "100", description = "Classes of the head. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--keep-rate", split = ",", defaultValue = "1.0,0.9,0.8,0.7,0.6,0.5",
            description = "Keep rates rho, comma-separated (one table row each). Default: ${DEFAULT-VALUE}.")
    List<Double> keepRates;

    @Option(names = "--adapter-dim", split = ",", defaultValue = "32",
            description = "Adapter bottleneck d', comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> adapterDims;

    @Option(names = "--method", split = ",", defaultValue = "token-sparsification,sparse-tuning",
            description = "Methods, comma-separated (token-sparsification is the backbone with TS and no adapters). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--dense-mode", defaultValue = "paper",
            description = "Sparse-Tuning's adapters: paper (Dense Adapters, SPEC A.3) or code (the official code's "
                    + "nested adapters and BN-linear head, SPEC A.4; --adapter-dim does not apply). Default: ${DEFAULT-VALUE}.")
    String denseMode;

    @Option(names = "--frames", defaultValue = "0", paramLabel = "T",
            description = "Count a clip model of T input frames (SPEC H: tubelet embedding, space-time tokens); "
                    + "0 (the default) counts the image model.")
    int frames;

    @Option(names = "--tubelet", paramLabel = "t",
            description = "Frames per tubelet token with --frames (default " + VitConfig.DEFAULT_TUBELET + ").")
    Integer tubelet;

    @Option(names = "--breakdown", description = "Also print each row's flops by kind and by part of the model.")
    boolean breakdown;

    @Override
    public Integer call() {
        if (!denseMode.equals("paper") && !denseMode.equals("code")) {
            throw new IllegalArgumentException("--dense-mode must be paper or code, got '" + denseMode + "'");
        }
        VitConfig preset = preset(model, classes);
        if (tubelet != null && frames == 0) {
            throw new IllegalArgumentException("--tubelet applies to clips: give --frames too");
        }
        int t = tubelet == null ? VitConfig.DEFAULT_TUBELET : tubelet;
        try {
            preset = preset.withClip(frames, t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--frames / --tubelet: " + e.getMessage(), e);
        }
        PrintStream out = System.out;
        String clip = preset.isClip() ? String.format(Locale.ROOT, ", %d frames in tubelets of %d (%d tokens + CLS)",
                frames, t, preset.numPatches()) : "";
        out.printf(Locale.ROOT, "%s, %d px, patch %d%s, %d classes; fvcore conventions (SPEC A.9)%n",
                model, preset.imgSize(), preset.patchSize(), clip, classes);
        out.printf(Locale.ROOT, "%-5s  %-22s  %4s  %9s  %13s  %11s  %11s%n",
                "rho", "method", "d'", "GFLOPs", "params", "trainable", "w/o head");
        for (double rho : keepRates) {
            for (String method : methods) {
                boolean code = method.equals(VitConfig.SPARSE_TUNING) && denseMode.equals("code");
                boolean sized = USE_ADAPTER_DIM.contains(method) && !code;
                for (int d : sized ? adapterDims : List.of(adapterDims.get(0))) {
                    VitConfig cfg = preset.withKeepRate(rho).withMethod(method).withAdapterDim(d);
                    if (code) {
                        cfg = cfg.withDenseMode("code", "bn-linear");
                    }
                    FlopReport r = Flops.count(cfg);
                    out.printf(Locale.ROOT, "%-5s  %-22s  %4s  %9.3f  %,13d  %,11d  %,11d%n", rho, code ? method + " (code)" : method,
                            sized ? Integer.toString(d) : "-", r.gflops(), r.parameters(),
                            r.trainableParameters(), r.trainableExcludingHead());
                    if (breakdown) {
                        printBreakdown(out, r);
                    }
                }
            }
        }
        return 0;
    }

    private static void printBreakdown(PrintStream out, FlopReport r) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<FlopKind, Long> e : r.byKind().entrySet()) {
            kinds.add(String.format(Locale.ROOT, "%s %.6f%s", e.getKey().label, e.getValue() / 1e9,
                    e.getKey().countedByFvcore ? "" : " (not counted)"));
        }
        out.println("       by kind (G): " + String.join(", ", kinds));
        List<String> parts = new ArrayList<>();
        r.byRegion().forEach((region, f) -> parts.add(String.format(Locale.ROOT, "%s %.6f",
                region.isEmpty() ? "(other)" : region, f / 1e9)));
        out.println("       by part (G): " + String.join(", ", parts));
    }

    static VitConfig preset(String name, int classes) {
        try {
            return VitConfig.preset(name, classes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
    }
}
