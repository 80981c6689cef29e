package org.sparsetuning.vit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * A model configuration: the fields of SPEC G's JSON plus the options of tools/torchref (same names, same
 * defaults: ViT-B/16 with Sparse-Tuning at ρ 0.7, d' 32, TS at layers 4, 7, 10).
 *
 * @param tsLayers 1-based layer numbers that sparsify
 * @param denseInputs the offsets j of the Dense Adapter inputs x_DA_{N−j} (paper mode)
 * @param numFrames T, the frames of an input clip (SPEC H); 0 for an image model
 * @param tubeletSize t, the frames one tubelet token spans (default 2); only used when {@code numFrames > 0}
 */
public record VitConfig(int imgSize, int patchSize, int inChans, int embedDim, int depth, int numHeads,
        double mlpRatio, int numClasses, int adapterDim, double adapterScale, double keepRate,
        List<Integer> tsLayers, String method, Fusion fusion, String denseMode, List<Integer> denseInputs,
        String headMode, MethodOptions options, int numFrames, int tubeletSize) {

    /** The tubelet length t when a configuration does not give one (SPEC H). */
    public static final int DEFAULT_TUBELET = 2;

    public static final String SPARSE_TUNING = "sparse-tuning";
    public static final String TOKEN_SPARSIFICATION = "token-sparsification";
    public static final String LINEAR_PROBE = "linear-probe";
    public static final String LORA = "lora";
    public static final String ADAPTFORMER = "adaptformer";
    public static final String KADAPTATION = "kadaptation";
    /** Bottleneck adapters inserted sequentially (Houlsby-style); see {@link MethodOptions#adapterPlacement()}. */
    public static final String ADAPTER = "adapter";
    /** VPT-deep: learnable prompt tokens at every layer. */
    public static final String VPT = "vpt";
    public static final String BITFIT = "bitfit";
    public static final String FULL = "full";

    private static final Set<String> KNOWN_METHODS = Set.of(SPARSE_TUNING, TOKEN_SPARSIFICATION, LINEAR_PROBE,
            LORA, ADAPTFORMER, KADAPTATION, ADAPTER, VPT, BITFIT, FULL);
    /** The per-method options (see {@link MethodOptions}). */
    private static final Set<String> OPTION_FIELDS = Set.of("code_adapter_dims", "lora_rank", "lora_alpha",
            "adaptformer_input", "kadapt_n", "kadapt_rank", "kadapt_scale", "kadapt_delta_after_scale", "vpt_tokens",
            "adapter_placement");

    public VitConfig {
        tsLayers = List.copyOf(tsLayers);
        denseInputs = List.copyOf(denseInputs);
        validate(imgSize, patchSize, embedDim, numHeads, mlpRatio, depth, keepRate, tsLayers, method,
                denseMode, denseInputs, headMode, numClasses, adapterDim);
        validateMethod(embedDim, depth, keepRate, tsLayers, method, denseMode, options);
        validateClip(numFrames, tubeletSize);
    }

    /** An image model (num_frames 0) with these method options. */
    public VitConfig(int imgSize, int patchSize, int inChans, int embedDim, int depth, int numHeads, double mlpRatio,
            int numClasses, int adapterDim, double adapterScale, double keepRate, List<Integer> tsLayers, String method,
            Fusion fusion, String denseMode, List<Integer> denseInputs, String headMode, MethodOptions options) {
        this(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim, adapterScale,
                keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, options, 0, DEFAULT_TUBELET);
    }

    /** The configuration with the default method options. */
    public VitConfig(int imgSize, int patchSize, int inChans, int embedDim, int depth, int numHeads, double mlpRatio,
            int numClasses, int adapterDim, double adapterScale, double keepRate, List<Integer> tsLayers, String method,
            Fusion fusion, String denseMode, List<Integer> denseInputs, String headMode) {
        this(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim, adapterScale,
                keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, MethodOptions.DEFAULTS);
    }

    /** A preset by name: vit-ti, vit-s, vit-b or vit-l (patch 16, 224 px). */
    public static VitConfig preset(String name, int numClasses) {
        return switch (name) {
            case "vit-ti" -> tiny(numClasses);
            case "vit-s" -> small(numClasses);
            case "vit-b" -> base(numClasses);
            case "vit-l" -> large(numClasses);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (expected vit-ti, vit-s, vit-b or vit-l)");
        };
    }

    /** ViT-Ti/S/B/L at patch 16, 224 px, with the paper's Sparse-Tuning defaults. */
    public static VitConfig tiny(int numClasses) {
        return preset(192, 12, 3, numClasses);
    }

    public static VitConfig small(int numClasses) {
        return preset(384, 12, 6, numClasses);
    }

    public static VitConfig base(int numClasses) {
        return preset(768, 12, 12, numClasses);
    }

    public static VitConfig large(int numClasses) {
        return preset(1024, 24, 16, numClasses);
    }

    private static VitConfig preset(int dim, int depth, int heads, int numClasses) {
        return new VitConfig(224, 16, 3, dim, depth, heads, 4.0, numClasses, 32, 1.0, 0.7, List.of(4, 7, 10),
                SPARSE_TUNING, Fusion.SUM, "paper", List.of(1, 3), "linear");
    }

    public VitConfig withKeepRate(double rho) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, rho, tsLayers, method, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    public VitConfig withAdapterDim(int d) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, d,
                adapterScale, keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    public VitConfig withMethod(String m) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, keepRate, tsLayers, m, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    public VitConfig withAdapter(int d, double scale) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, d,
                scale, keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    /** Token Sparsification at these 1-based layers ([] = none). */
    public VitConfig withTsLayers(List<Integer> layers) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, keepRate, layers, method, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    public VitConfig withDenseMode(String mode, String head) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, keepRate, tsLayers, method, fusion, mode, denseInputs, head, options,
                numFrames, tubeletSize);
    }

    public VitConfig withOptions(MethodOptions o) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, o,
                numFrames, tubeletSize);
    }

    /**
     * A clip model over {@code numFrames} input frames cut into tubelets of {@code tubeletSize} frames (SPEC H);
     * {@code withClip(0, t)} is an image model again.
     */
    public VitConfig withClip(int frames, int tubelet) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, numClasses, adapterDim,
                adapterScale, keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, options, frames, tubelet);
    }

    /** Whether the model takes clips [B, C, T, H, W] (num_frames > 0) rather than images [B, C, H, W]. */
    public boolean isClip() {
        return numFrames > 0;
    }

    /** Patches along one side of a frame. */
    public int gridSize() {
        return imgSize / patchSize;
    }

    /** Token time steps T' = T / t of a clip; 1 for an image. */
    public int timeSteps() {
        return isClip() ? numFrames / tubeletSize : 1;
    }

    /** Patch tokens per sample (the CLS token not counted): T'·(H/P)·(W/P), in (time, row, column) order. */
    public int numPatches() {
        return timeSteps() * gridSize() * gridSize();
    }

    /** Input values one patch token is projected from: C·P·P, or C·t·P·P for a clip. */
    public int patchFanIn() {
        return inChans * patchSize * patchSize * (isClip() ? tubeletSize : 1);
    }

    /** The input shape this model takes for a batch of {@code batch}: [B, C, H, W] or [B, C, T, H, W]. */
    public int[] inputShape(int batch) {
        return isClip() ? new int[] {batch, inChans, numFrames, imgSize, imgSize}
                : new int[] {batch, inChans, imgSize, imgSize};
    }

    public int mlpHidden() {
        return (int) (embedDim * mlpRatio);
    }

    /** Reads a JSON config; omitted fields take the defaults, unknown fields are an error. */
    public static VitConfig load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": config file not found");
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static VitConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config must be a JSON object");
        }
        VitConfig d = base(100);
        Set<String> known = Set.of("img_size", "patch_size", "in_chans", "embed_dim", "depth", "num_heads",
                "mlp_ratio", "num_classes", "adapter_dim", "adapter_scale", "keep_rate", "ts_layers", "method",
                "fusion", "dense_mode", "dense_inputs", "head_mode", "num_frames", "tubelet_size");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f) && !OPTION_FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown config field '" + f + "'");
            }
        }
        String method = textField(root, "method", d.method);
        // AdaptFormer's and the sequential adapter's usual bottleneck is 64, and AdaptFormer scales by 0.1; the
        // Sparse-Tuning defaults (32, 1) hold otherwise. (torchref keeps 32 / 1 for every method; its goldens are explicit.)
        boolean bottleneck64 = method.equals(ADAPTFORMER) || method.equals(ADAPTER);
        int adapterDim = intField(root, "adapter_dim", bottleneck64 ? 64 : d.adapterDim);
        double adapterScale = doubleField(root, "adapter_scale", method.equals(ADAPTFORMER) ? 0.1 : d.adapterScale);
        MethodOptions o = MethodOptions.DEFAULTS;
        return new VitConfig(
                intField(root, "img_size", d.imgSize), intField(root, "patch_size", d.patchSize),
                intField(root, "in_chans", d.inChans), intField(root, "embed_dim", d.embedDim),
                intField(root, "depth", d.depth), intField(root, "num_heads", d.numHeads),
                doubleField(root, "mlp_ratio", d.mlpRatio), intField(root, "num_classes", d.numClasses),
                adapterDim, adapterScale,
                doubleField(root, "keep_rate", d.keepRate), intList(root, "ts_layers", d.tsLayers),
                method, Fusion.parse(textField(root, "fusion", d.fusion.configName)),
                textField(root, "dense_mode", d.denseMode), intList(root, "dense_inputs", d.denseInputs),
                textField(root, "head_mode", d.headMode),
                new MethodOptions(intList(root, "code_adapter_dims", o.codeAdapterDims()),
                        intField(root, "lora_rank", o.loraRank()), doubleField(root, "lora_alpha", o.loraAlpha()),
                        textField(root, "adaptformer_input", o.adaptformerInput()),
                        intField(root, "kadapt_n", o.kadaptN()), intField(root, "kadapt_rank", o.kadaptRank()),
                        doubleField(root, "kadapt_scale", o.kadaptScale()),
                        boolField(root, "kadapt_delta_after_scale", o.kadaptDeltaAfterScale()),
                        intField(root, "vpt_tokens", o.vptTokens()),
                        textField(root, "adapter_placement", o.adapterPlacement())),
                intField(root, "num_frames", d.numFrames), intField(root, "tubelet_size", d.tubeletSize));
    }

    private static int intField(JsonNode root, String name, int dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be an integer, got " + n);
        }
        return n.intValue();
    }

    private static double doubleField(JsonNode root, String name, double dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("'" + name + "' must be a number, got " + n);
        }
        return n.doubleValue();
    }

    private static boolean boolField(JsonNode root, String name, boolean dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException("'" + name + "' must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    private static String textField(JsonNode root, String name, String dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' must be a string, got " + n);
        }
        return n.textValue();
    }

    private static List<Integer> intList(JsonNode root, String name, List<Integer> dflt) {
        JsonNode n = root.get(name);
        if (n == null) {
            return dflt;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("'" + name + "' must be a list of integers, got " + n);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isIntegralNumber()) {
                throw new IllegalArgumentException("'" + name + "' must be a list of integers, got " + n);
            }
            out.add(e.intValue());
        }
        return out;
    }

    private static void validate(int imgSize, int patchSize, int embedDim, int numHeads, double mlpRatio,
            int depth, double keepRate, List<Integer> tsLayers, String method, String denseMode,
            List<Integer> denseInputs, String headMode, int numClasses, int adapterDim) {
        if (imgSize <= 0 || patchSize <= 0 || imgSize % patchSize != 0) {
            throw new IllegalArgumentException("img_size " + imgSize + " must be a positive multiple of patch_size " + patchSize);
        }
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embed_dim " + embedDim + " must be divisible by num_heads " + numHeads);
        }
        double hidden = embedDim * mlpRatio;
        if (hidden != Math.rint(hidden) || hidden <= 0) {
            throw new IllegalArgumentException("embed_dim*mlp_ratio = " + hidden + " is not a positive integer");
        }
        if (depth <= 0 || numClasses <= 0 || adapterDim <= 0) {
            throw new IllegalArgumentException("depth, num_classes and adapter_dim must be positive");
        }
        if (!(keepRate > 0 && keepRate <= 1)) {
            throw new IllegalArgumentException("keep_rate must be in (0, 1], got " + keepRate);
        }
        for (int i = 0; i < tsLayers.size(); i++) {
            int n = tsLayers.get(i);
            if (n < 1 || n > depth || (i > 0 && n <= tsLayers.get(i - 1))) {
                throw new IllegalArgumentException("ts_layers must be strictly increasing 1-based layer numbers <= depth "
                        + depth + ", got " + tsLayers);
            }
        }
        if (!KNOWN_METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + KNOWN_METHODS + ", got '" + method + "'");
        }
        if (!denseMode.equals("paper") && !denseMode.equals("code")) {
            throw new IllegalArgumentException("dense_mode must be paper | code, got '" + denseMode + "'");
        }
        for (int j : denseInputs) {
            if (j < 1) {
                throw new IllegalArgumentException("dense_inputs must be positive layer offsets, got " + denseInputs);
            }
        }
        if (!headMode.equals("linear") && !headMode.equals("bn-linear")) {
            throw new IllegalArgumentException("head_mode must be linear | bn-linear, got '" + headMode + "'");
        }
    }

    private static void validateClip(int numFrames, int tubeletSize) {
        if (numFrames < 0) {
            throw new IllegalArgumentException("num_frames must be 0 (an image model) or a positive frame count, got "
                    + numFrames);
        }
        if (tubeletSize <= 0) {
            throw new IllegalArgumentException("tubelet_size must be a positive frame count, got " + tubeletSize);
        }
        if (numFrames % tubeletSize != 0) {
            throw new IllegalArgumentException("num_frames " + numFrames + " must be a multiple of tubelet_size "
                    + tubeletSize);
        }
    }

    private static void validateMethod(int embedDim, int depth, double keepRate, List<Integer> tsLayers, String method,
            String denseMode, MethodOptions options) {
        if (method.equals(SPARSE_TUNING) && denseMode.equals("code")
                && (depth != 12 || !tsLayers.equals(List.of(4, 7, 10)))) {
            throw new IllegalArgumentException("dense_mode code hard-codes depth 12 with ts_layers [4, 7, 10] (SPEC A.4), got depth "
                    + depth + ", ts_layers " + tsLayers);
        }
        if (method.equals(KADAPTATION) && embedDim % options.kadaptN() != 0) {
            throw new IllegalArgumentException("kadapt_n " + options.kadaptN() + " must divide embed_dim " + embedDim);
        }
        if (method.equals(VPT) && keepRate < 1 && !tsLayers.isEmpty()) {
            // TS ranks every non-CLS token; with prompts in the sequence it would fuse or drop them.
            throw new IllegalArgumentException("method vpt cannot be combined with Token Sparsification: set ts_layers [] "
                    + "or keep_rate 1 (got ts_layers " + tsLayers + ", keep_rate " + keepRate + ")");
        }
    }
}
