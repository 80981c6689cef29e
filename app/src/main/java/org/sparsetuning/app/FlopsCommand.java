package org.sparsetuning.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.tensor.flops.FlopKind;
import org.sparsetuning.vit.flops.FlopReport;
import org.sparsetuning.vit.flops.Flops;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.MethodDefaults;
import org.sparsetuning.vit.model.Presets;
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
    private static final List<String> USE_ADAPTER_DIM = List.of(VitConfig.SPARSE_TUNING, VitConfig.ADAPTFORMER, VitConfig.ADAPTER);
    /** The keep rates a sparsifying method is shown at when --keep-rate is not given. */
    private static final List<Double> DEFAULT_KEEP_RATES = List.of(1.0, 0.9, 0.8, 0.7, 0.6, 0.5);

    @Option(names = "--model", defaultValue = "vit-b", description = "Preset: vit-ti, vit-s, vit-b, vit-l (patch 16, 224 px) "
            + "or fmnist. Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--classes", defaultValue = "100", description = "Classes of the head. Default: ${DEFAULT-VALUE}.")
    int classes;

    @Option(names = "--keep-rate", split = ",", paramLabel = "RHO",
            description = "Keep rates rho, comma-separated (one row each). Default: 1.0,0.9,0.8,0.7,0.6,0.5 for "
                    + "sparse-tuning and token-sparsification; the baselines are dense unless keep rates are given.")
    List<Double> keepRates;

    @Option(names = "--adapter-dim", split = ",", paramLabel = "D",
            description = "Adapter bottleneck d', comma-separated. Default: each method's own (sparse-tuning 32, "
                    + "adaptformer and adapter 64).")
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
        ObjectNode preset;
        try {
            preset = Presets.json(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model: " + e.getMessage(), e);
        }
        if (tubelet != null && frames == 0) {
            throw new IllegalArgumentException("--tubelet applies to clips: give --frames too");
        }
        int t = tubelet == null ? VitConfig.DEFAULT_TUBELET : tubelet;
        VitConfig shape;
        try {
            shape = ConfigJson.parse(preset).withClip(frames, t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--frames / --tubelet: " + e.getMessage(), e);
        }
        preset.put("num_frames", frames);
        preset.put("tubelet_size", t);
        // Every row's configuration is built first, so a bad flag is refused before anything is printed.
        List<Row> rows = new ArrayList<>();
        for (String method : methods) {
            boolean code = method.equals(VitConfig.SPARSE_TUNING) && denseMode.equals("code");
            boolean sized = USE_ADAPTER_DIM.contains(method) && !code;
            // A baseline is shown dense unless keep rates were asked for (then sparsified at layers 4, 7, 10).
            List<Double> rates = keepRates != null ? keepRates : MethodDefaults.sparsifies(method) ? DEFAULT_KEEP_RATES : null;
            for (Double rho : rates == null ? java.util.Collections.<Double>singletonList(null) : rates) {
                for (Integer d : sized && adapterDims != null ? adapterDims : java.util.Collections.<Integer>singletonList(null)) {
                    rows.add(new Row(config(preset, method, rho, d, code), code ? method + " (code)" : method, sized));
                }
            }
        }
        PrintStream out = System.out;
        String clip = shape.isClip() ? String.format(Locale.ROOT, ", %d frames in tubelets of %d (%d tokens + CLS)",
                frames, t, shape.numPatches()) : "";
        out.printf(Locale.ROOT, "%s, %d px, patch %d%s, %d classes; fvcore conventions (SPEC A.9)%n",
                model, shape.imgSize(), shape.patchSize(), clip, classes);
        out.printf(Locale.ROOT, "%-5s  %-22s  %4s  %9s  %13s  %11s  %11s%n",
                "rho", "method", "d'", "GFLOPs", "params", "trainable", "w/o head");
        for (Row row : rows) {
            VitConfig cfg = row.config();
            FlopReport r = Flops.count(cfg);
            out.printf(Locale.ROOT, "%-5s  %-22s  %4s  %9.3f  %,13d  %,11d  %,11d%n",
                    cfg.tsLayers().isEmpty() ? "dense" : Double.toString(cfg.keepRate()), row.label(),
                    row.sized() ? Integer.toString(cfg.adapterDim()) : "-", r.gflops(),
                    r.parameters(), r.trainableParameters(), r.trainableExcludingHead());
            if (breakdown) {
                printBreakdown(out, r);
            }
        }
        return 0;
    }

    /** One printed row: its model, the method as labelled, and whether d' applies. */
    private record Row(VitConfig config, String label, boolean sized) {
    }

    /** The method on the preset with its own defaults, and the row's keep rate and d' where given. */
    private VitConfig config(ObjectNode preset, String method, Double rho, Integer d, boolean code) {
        ObjectNode c = preset.deepCopy();
        c.put("num_classes", classes);
        c.put("method", method);
        if (rho != null) {
            c.put("keep_rate", rho);
        }
        if (d != null) {
            c.put("adapter_dim", d);
        }
        if (code) {
            c.put("dense_mode", "code");
            c.put("head_mode", "bn-linear");
        }
        try {
            return ConfigJson.parse(c);
        } catch (IllegalArgumentException e) {
            // The configuration's own rule, with the flag that gave the value named first.
            IllegalArgumentException named = ModelOptions.namingTheFlag(e, "keep_rate", "--keep-rate", rho);
            throw named != e ? named : ModelOptions.namingTheFlag(e, "adapter_dim", "--adapter-dim", d);
        }
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
}
