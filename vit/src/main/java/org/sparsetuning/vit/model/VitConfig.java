package org.sparsetuning.vit.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * A model configuration: the fields of SPEC G's JSON plus the options of tools/torchref (same names, same
 * defaults: ViT-B/16 with Sparse-Tuning at ρ 0.7, d' 32, TS at layers 4, 7, 10; each method's own defaults are
 * {@link MethodDefaults}). Read and written by {@link ConfigJson}; presets are {@link Presets}.
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
    public VitConfig {
        tsLayers = List.copyOf(tsLayers);
        denseInputs = List.copyOf(denseInputs);
        if (inChans <= 0) {
            throw new IllegalArgumentException("in_chans must be positive, got " + inChans);
        }
        validate(imgSize, patchSize, embedDim, numHeads, mlpRatio, depth, keepRate, tsLayers, method,
                denseMode, denseInputs, headMode, numClasses, adapterDim);
        validateMethod(embedDim, depth, keepRate, tsLayers, method, denseMode, options);
        validateClip(numFrames, tubeletSize);
        if (!Double.isFinite(adapterScale)) {
            throw new IllegalArgumentException("adapter_scale must be a finite number, got " + adapterScale);
        }
        validateSizes(imgSize, patchSize, inChans, embedDim, mlpRatio, numFrames, tubeletSize);
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

    /** A preset by name ({@link Presets}) with Sparse-Tuning and its defaults. */
    public static VitConfig preset(String name, int numClasses) {
        return Presets.config(name, SPARSE_TUNING, numClasses);
    }

    /** ViT-Ti/S/B/L at patch 16, 224 px, with the paper's Sparse-Tuning defaults. */
    public static VitConfig tiny(int numClasses) {
        return preset("vit-ti", numClasses);
    }

    public static VitConfig small(int numClasses) {
        return preset("vit-s", numClasses);
    }

    public static VitConfig base(int numClasses) {
        return preset("vit-b", numClasses);
    }

    public static VitConfig large(int numClasses) {
        return preset("vit-l", numClasses);
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

    public VitConfig withNumClasses(int classes) {
        return new VitConfig(imgSize, patchSize, inChans, embedDim, depth, numHeads, mlpRatio, classes, adapterDim,
                adapterScale, keepRate, tsLayers, method, fusion, denseMode, denseInputs, headMode, options,
                numFrames, tubeletSize);
    }

    /** Whether Token Sparsification changes anything: a layer sparsifies and the keep rate is below 1. */
    public boolean sparsifies() {
        return !tsLayers.isEmpty() && keepRate < 1;
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

    /** Reads a JSON config ({@link ConfigJson}); omitted fields take the method's defaults, unknown fields are an error. */
    public static VitConfig load(Path file) throws IOException {
        return ConfigJson.load(file);
    }

    public static VitConfig parse(JsonNode root) {
        return ConfigJson.parse(root);
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
        if (depth <= 0) {
            throw new IllegalArgumentException("depth must be positive, got " + depth);
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("num_classes must be positive, got " + numClasses);
        }
        if (adapterDim <= 0) {
            throw new IllegalArgumentException("adapter_dim must be positive, got " + adapterDim);
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

    /**
     * Every parameter tensor must fit a Java array (2^31-1 elements); counted in long arithmetic, so that a huge
     * img_size or embed_dim is refused here, naming the fields, rather than overflowing the model's int sizes.
     */
    private static void validateSizes(int imgSize, int patchSize, int inChans, int embedDim, double mlpRatio,
            int numFrames, int tubeletSize) {
        long grid = imgSize / patchSize;
        long steps = numFrames > 0 ? numFrames / tubeletSize : 1;
        long tokens = steps * grid * grid + 1;
        requireArray("img_size " + imgSize + " / patch_size " + patchSize + (numFrames > 0 ? " over " + steps
                + " time steps" : "") + " gives " + tokens + " tokens: the position embedding [1, " + tokens + ", "
                + embedDim + "]", tokens, embedDim);
        requireArray("embed_dim " + embedDim + ": the attention weight [" + 3L * embedDim + ", " + embedDim + "]",
                3L * embedDim, embedDim);
        long hidden = (long) (embedDim * mlpRatio);
        requireArray("embed_dim " + embedDim + " x mlp_ratio " + mlpRatio + ": the MLP weight [" + hidden + ", "
                + embedDim + "]", hidden, embedDim);
        long kernel = (long) inChans * patchSize * patchSize * (numFrames > 0 ? tubeletSize : 1);
        requireArray("patch_size " + patchSize + ", in_chans " + inChans + ": the patch embedding [" + embedDim + ", "
                + kernel + "]", embedDim, kernel);
    }

    private static void requireArray(String what, long rows, long cols) {
        if (rows > Integer.MAX_VALUE / cols) {
            throw new IllegalArgumentException(what + " would have more than 2^31-1 elements");
        }
    }

    /**
     * The backbone's parameter count (patch embedding, CLS token, position embedding, blocks, final norm): a lower
     * bound of the whole model's, which adds the method's tensors and the head.
     */
    public long backboneParameters() {
        long d = embedDim;
        long hidden = mlpHidden();
        long block = 4 * d + (3 * d * d + 3 * d) + (d * d + d) + (hidden * d + hidden) + (d * hidden + d);
        return d * patchFanIn() + d + d + (numPatches() + 1L) * d + depth * block + 2 * d;
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
