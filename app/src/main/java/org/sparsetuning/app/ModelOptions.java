package org.sparsetuning.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.Presets;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine.Option;

/**
 * Which model to build: a config file or a preset, the method and its main options, the backbone to load. Whatever
 * is not given takes the method's own defaults ({@link org.sparsetuning.vit.model.MethodDefaults}), exactly as in a
 * JSON config: the flags are applied as the config fields of the same names.
 */
public final class ModelOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Model configuration (SPEC G JSON); overrides --model.")
    Path config;

    @Option(names = "--model", defaultValue = "vit-b", paramLabel = "PRESET",
            description = "Preset: vit-ti, vit-s, vit-b, vit-l (224 px, patch 16, RGB) or fmnist (the main job's ViT: "
                    + "28 px grey, patch 7, width 64, depth 12). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--method", paramLabel = "M", description = "sparse-tuning (default), full, linear-probe, lora, "
            + "adaptformer, kadaptation, adapter, vpt, bitfit, token-sparsification. Each takes its own defaults (README). "
            + "The baselines run the dense ViT unless --keep-rate or --ts-layers is given, also when --config was made "
            + "for a method that sparsifies.")
    String method;

    @Option(names = "--keep-rate", paramLabel = "RHO", description = "Token keep rate rho at the sparsifying layers "
            + "(default 0.7; given alone for a baseline, it sparsifies at layers 4,7,10).")
    Double keepRate;

    @Option(names = "--ts-layers", split = ",", paramLabel = "N", description = "1-based layers that sparsify (default 4,7,10 "
            + "for sparse-tuning and token-sparsification, none for the baselines).")
    List<Integer> tsLayers;

    @Option(names = "--adapter-dim", paramLabel = "D", description = "Adapter bottleneck d' (default: sparse-tuning 32, "
            + "adaptformer and adapter 64).")
    Integer adapterDim;

    @Option(names = "--adapter-scale", paramLabel = "S", description = "Scale s of the adapter branch (default: "
            + "sparse-tuning 1, adaptformer 0.1).")
    Double adapterScale;

    @Option(names = "--lora-rank", paramLabel = "R", description = "LoRA rank r (default 4; alpha is 2 x r unless --lora-alpha is given).")
    Integer loraRank;

    @Option(names = "--lora-alpha", paramLabel = "A", description = "LoRA alpha; the update is scaled by alpha / r (default 8).")
    Double loraAlpha;

    @Option(names = "--kadapt-n", paramLabel = "N", description = "KAdaptation's number of Kronecker terms (default 32; divides the width).")
    Integer kadaptN;

    @Option(names = "--vpt-tokens", paramLabel = "P", description = "VPT prompt tokens per layer (default 10).")
    Integer vptTokens;

    @Option(names = "--frames", paramLabel = "T", description = "A clip model over T input frames (frames:DIR data; "
            + "SPEC H); 0 for images. Default: the configuration's.")
    Integer numFrames;

    @Option(names = "--tubelet", paramLabel = "t",
            description = "Frames per tubelet token of a clip model (divides T; default 2).")
    Integer tubeletSize;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Pre-trained backbone: timm names (safetensors) or "
            + "Google's ViT npz. Without it the backbone is randomly initialised.")
    Path backbone;

    /** The configuration for {@code classes} classes, with every given override applied. */
    public VitConfig config(int classes) throws IOException {
        return config(method, classes);
    }

    /** As {@link #config(int)} with {@code method} in place of --method (null: the config's or Sparse-Tuning). */
    public VitConfig config(String method, int classes) throws IOException {
        ObjectNode draft;
        if (config != null) {
            ConfigJson.load(config);   // the file alone must be valid; its errors name the file
            draft = ConfigJson.readObject(config);
        } else {
            try {
                draft = Presets.json(model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--model: " + e.getMessage(), e);
            }
        }
        JsonNode fileLayers = draft.get("ts_layers");
        ConfigJson.switchMethod(draft, method != null ? method : ConfigJson.method(draft));
        if (keepRate != null) {
            draft.put("keep_rate", keepRate);
            if (tsLayers == null && fileLayers != null && !draft.has("ts_layers")) {
                // Sparsification asked for on a method the config was not made for: at the config's layers, which
                // suit its depth, rather than the defaults.
                draft.set("ts_layers", fileLayers);
            }
        }
        if (tsLayers != null) {
            ArrayNode a = draft.putArray("ts_layers");
            tsLayers.forEach(a::add);
        }
        if (adapterDim != null) {
            draft.put("adapter_dim", adapterDim);
        }
        if (adapterScale != null) {
            draft.put("adapter_scale", adapterScale);
        }
        if (loraRank != null) {
            draft.put("lora_rank", loraRank);
            draft.put("lora_alpha", loraAlpha != null ? loraAlpha : 2.0 * loraRank);
        } else if (loraAlpha != null) {
            draft.put("lora_alpha", loraAlpha);
        }
        if (kadaptN != null) {
            draft.put("kadapt_n", kadaptN);
        }
        if (vptTokens != null) {
            draft.put("vpt_tokens", vptTokens);
        }
        if (numFrames != null) {
            draft.put("num_frames", numFrames);
        }
        if (tubeletSize != null) {
            draft.put("tubelet_size", tubeletSize);
        }
        draft.put("num_classes", classes);
        try {
            return ConfigJson.parse(draft);
        } catch (IllegalArgumentException e) {
            throw namingTheFlag(e);
        }
    }

    /**
     * A configuration error about a field one of this command's flags set, with that flag and its value first (the
     * message itself names the configuration field, which is what a --config file would be told).
     */
    private IllegalArgumentException namingTheFlag(IllegalArgumentException e) {
        Object[][] fieldFlagValue = {{"keep_rate", "--keep-rate", keepRate}, {"ts_layers", "--ts-layers", tsLayers},
            {"adapter_dim", "--adapter-dim", adapterDim}, {"adapter_scale", "--adapter-scale", adapterScale},
            {"lora_rank", "--lora-rank", loraRank}, {"lora_alpha", "--lora-alpha", loraAlpha},
            {"kadapt_n", "--kadapt-n", kadaptN}, {"vpt_tokens", "--vpt-tokens", vptTokens},
            {"num_frames", "--frames", numFrames}, {"tubelet_size", "--tubelet", tubeletSize}};
        for (Object[] f : fieldFlagValue) {
            IllegalArgumentException named = namingTheFlag(e, (String) f[0], (String) f[1], f[2]);
            if (named != e) {
                return named;
            }
        }
        return e;
    }

    /**
     * e with "FLAG VALUE: " put before its message when the message is about {@code field} and the flag was given
     * (value not null); e itself otherwise.
     */
    static IllegalArgumentException namingTheFlag(IllegalArgumentException e, String field, String flag, Object value) {
        String msg = String.valueOf(e.getMessage());
        if (value == null || !msg.contains(field)) {
            return e;
        }
        Object shown = value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : value;
        return new IllegalArgumentException(flag + " " + shown + ": " + msg, e);
    }

    public Path backbone() {
        return backbone;
    }
}
