package org.sparsetuning.vit.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsEntry;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * Loads the backbone (timm safetensors, or Google's npz picked by the {@code .npz} extension) and the trainable
 * tensors (safetensors), with errors naming file and tensor. A backbone whose position embedding has another patch
 * grid than the model's is resized ({@link PosEmbedResize}); an image backbone given to a clip model is inflated
 * ({@link ClipInflation}).
 */
public final class Checkpoints {
    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());
    /** The safetensors dtypes a weight may be stored in. */
    private static final Set<String> FLOATING = Set.of("F64", "F32", "F16", "BF16");

    private Checkpoints() {
    }

    /** timm keys that a backbone file may carry but this model has no use for. */
    private static boolean ignorableBackboneKey(String name) {
        return name.startsWith("head.") || name.startsWith("pre_logits.") || name.startsWith("fc_norm.");
    }

    /**
     * The one way a model is made ready: built from {@code cfg} with the seed's initialisation, the backbone file
     * loaded (null: the backbone stays random), the method's trained tensors loaded (null: they keep their
     * initialisation), and everything the method does not train frozen.
     */
    public static VisionTransformer build(VitConfig cfg, long seed, Path backbone, Path weights) throws IOException {
        return build(cfg, seed, backbone, weights, PosEmbedResize.Mode.BICUBIC, LOG::info);
    }

    /** {@link #build(VitConfig, long, Path, Path)} with a choice of position-embedding resampling and its log line. */
    public static VisionTransformer build(VitConfig cfg, long seed, Path backbone, Path weights, PosEmbedResize.Mode resize,
            Consumer<String> log) throws IOException {
        VisionTransformer model = new VisionTransformer(cfg, new Generator(seed));
        if (backbone != null) {
            loadBackbone(model, backbone, resize, log);
        }
        model.freezeBackbone();
        if (weights != null) {
            loadTrainable(model, weights);
        }
        return model;
    }

    public static Map<String, Tensor> read(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(what + " file not found: " + file);
        }
        return SafetensorsReader.read(file).tensors();
    }

    /** Every backbone tensor must be present with the model's shape; the position embedding is resized if needed. */
    public static void loadBackbone(VisionTransformer model, Path file) throws IOException {
        loadBackbone(model, file, PosEmbedResize.Mode.BICUBIC, LOG::info);
    }

    /**
     * @param resize how a position embedding with another patch grid is resampled
     * @param log receives one line when the position embedding is resized
     */
    public static void loadBackbone(VisionTransformer model, Path file, PosEmbedResize.Mode resize, Consumer<String> log)
            throws IOException {
        if (!GoogleVitNpz.isNpz(file) && Files.isRegularFile(file)) {
            checkHeader(model, file);
        }
        Map<String, Tensor> tensors = readBackbone(model.cfg, file);
        checkNames(model, tensors.keySet(), file);
        fitEmbedding(tensors, model, file, resize, log);
        copyInto(model.backboneParameters(), tensors, file);
    }

    /**
     * Names and shapes from the safetensors header alone, so that the backbone of another model is refused before
     * its tensors (a gigabyte for ViT-L) are read. The embedding's shapes (patch kernel and position embedding) are
     * left to {@link #fitEmbedding}, which inflates and resizes them.
     */
    private static void checkHeader(VisionTransformer model, Path file) throws IOException {
        Map<String, Variable> params = model.backboneParameters();
        List<String> names = new ArrayList<>();
        for (SafetensorsEntry e : SafetensorsReader.readHeader(file).entries()) {
            names.add(e.name());
            Variable p = params.get(e.name());
            if (p != null && !FLOATING.contains(e.dtype())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.name() + "' holds " + e.dtype()
                        + " values, expected floating point (F32, F16, BF16 or F64)");
            }
            if (p != null && !e.name().equals("pos_embed") && !e.name().equals("patch_embed.proj.weight")) {
                checkShape(file, e.name(), e.shape(), p.data().shape());
            }
        }
        checkNames(model, names, file);
    }

    private static void checkNames(VisionTransformer model, Collection<String> names, Path file) {
        List<String> unexpected = new ArrayList<>();
        for (String k : names) {
            if (!VisionTransformer.isBackboneName(k) && !ignorableBackboneKey(k) && !model.addedParameters().containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(file + ": tensors " + unexpected + " are not part of the model's backbone");
        }
    }

    /** A NaN or infinite weight is a corrupt file (or one saved from a diverged run): every output would be NaN. */
    private static void checkFinite(Path file, String name, Tensor t) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' holds " + v[i] + " at element " + i
                        + ", expected finite values (a corrupt file, or one saved from a diverged run)");
            }
        }
    }

    private static void checkShape(Path file, String name, int[] have, int[] want) {
        if (!Arrays.equals(have, want)) {
            throw new IllegalArgumentException(file + ": tensor '" + name + "' has shape " + Arrays.toString(have)
                    + " but the model expects " + Arrays.toString(want));
        }
    }

    /** The backbone tensors under timm names, from safetensors or (by extension) Google's npz. */
    public static Map<String, Tensor> readBackbone(VitConfig cfg, Path file) throws IOException {
        if (!GoogleVitNpz.isNpz(file)) {
            return new LinkedHashMap<>(read(file, "backbone"));
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("backbone file not found: " + file);
        }
        return GoogleVitNpz.read(file, cfg);
    }

    /**
     * Fits the checkpoint's embedding to the model in place: an image backbone given to a clip model is inflated
     * ({@link ClipInflation}: the kernel over the tubelet, the position embedding over time), and a position
     * embedding made for another patch grid is resampled (for a clip, each time step's grid), so that both compose.
     */
    private static void fitEmbedding(Map<String, Tensor> tensors, VisionTransformer model, Path file,
            PosEmbedResize.Mode resize, Consumer<String> log) {
        VitConfig cfg = model.cfg;
        Tensor kernel = tensors.get("patch_embed.proj.weight");
        Tensor pos = tensors.get("pos_embed");
        boolean videoKernel = kernel != null && kernel.dim() == 5;
        if (videoKernel && !cfg.isClip()) {
            throw new IllegalArgumentException(file + ": tensor 'patch_embed.proj.weight' has shape "
                    + Arrays.toString(kernel.shape()) + ", a video (tubelet) kernel, but the model is an image model "
                    + "(num_frames 0); set num_frames and tubelet_size to use this backbone");
        }
        boolean inflate = cfg.isClip() && kernel != null && kernel.dim() == 4;
        if (inflate) {
            tensors.put("patch_embed.proj.weight", ClipInflation.kernel(kernel, cfg.tubeletSize()));
        }
        if (pos != null) {
            // An image backbone's position embedding is spatial (one time step) whatever the model; a video
            // backbone's has the model's time steps.
            int steps = cfg.isClip() && !inflate ? cfg.timeSteps() : 1;
            Tensor fitted = fitPosEmbed(pos, steps, model, file, resize, log);
            tensors.put("pos_embed", inflate && fitted.dim() == 3 && fitted.size(1) == 1 + cfg.gridSize() * cfg.gridSize()
                    ? ClipInflation.posEmbed(fitted, cfg.timeSteps()) : fitted);
        }
        if (inflate) {
            log.accept(file + ": image backbone inflated for clips (SPEC H): patch kernel repeated over the "
                    + cfg.tubeletSize() + " frames of a tubelet and divided by " + cfg.tubeletSize()
                    + ", position embedding repeated over " + cfg.timeSteps() + " time steps");
        }
    }

    /**
     * The checkpoint's position embedding, resampled to the model's grid when only the grid differs; for a clip
     * position embedding of {@code steps} time steps, each step's grid is resampled.
     */
    private static Tensor fitPosEmbed(Tensor pos, int steps, VisionTransformer model, Path file,
            PosEmbedResize.Mode resize, Consumer<String> log) {
        int[] have = pos.shape();
        int dim = model.cfg.embedDim();
        int to = model.cfg.gridSize();
        if (have.length != 3 || have[0] != 1 || have[2] != dim || have[1] == 1 + steps * to * to) {
            return pos;      // fits, or wrong in a way no resize fixes: copyInto reports the shape
        }
        if ((have[1] - 1) % steps != 0) {
            throw new IllegalArgumentException(file + ": tensor 'pos_embed' has " + have[1] + " tokens: not a class token "
                    + "plus " + steps + " time steps of a square patch grid");
        }
        int from;
        Tensor first = steps == 1 ? pos : timeStep(pos, 0, steps);
        try {
            from = PosEmbedResize.gridOf(first);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": tensor 'pos_embed': " + e.getMessage()
                    + (steps > 1 ? " in each of the model's " + steps + " time steps (num_frames / tubelet_size)" : ""), e);
        }
        log.accept(file + ": pos_embed resized from a " + from + "x" + from + " to a " + to + "x" + to + " patch grid ("
                + resize.describe() + (steps > 1 ? ", each of " + steps + " time steps" : "") + ")");
        if (steps == 1) {
            return PosEmbedResize.resize(pos, to, resize);
        }
        Tensor[] parts = new Tensor[1 + steps];
        parts[0] = pos.narrow(1, 0, 1);
        for (int t = 0; t < steps; t++) {
            Tensor resized = PosEmbedResize.resize(timeStep(pos, t, steps), to, resize);
            parts[1 + t] = resized.narrow(1, 1, to * to);
        }
        return Ops.concat(parts, 1).contiguous();
    }

    /** The CLS row and time step t's rows of a clip position embedding [1, 1 + steps·n, D], as [1, 1 + n, D]. */
    private static Tensor timeStep(Tensor pos, int t, int steps) {
        int n = (pos.size(1) - 1) / steps;
        return Ops.concat(new Tensor[] {pos.narrow(1, 0, 1), pos.narrow(1, 1 + t * n, n)}, 1);
    }

    /**
     * Every tensor the method adds (adapters, prompts, head) must be present. Backbone tensors the method trains
     * (BitFit's biases, full fine-tuning) may be present and then replace the backbone's; nothing else may be.
     */
    public static void loadTrainable(VisionTransformer model, Path file) throws IOException {
        Map<String, Tensor> tensors = read(file, "weights");
        Map<String, Variable> trainable = model.trainableNamed();
        for (String k : tensors.keySet()) {
            if (!trainable.containsKey(k)) {
                throw new IllegalArgumentException(file + ": tensor '" + k + "' is not a trainable tensor of this model "
                        + "(method " + model.cfg.method() + ")");
            }
        }
        copyInto(model.addedParameters(), tensors, file, true);
        copyInto(trainable, tensors, file, false);
    }

    private static void copyInto(Map<String, Variable> params, Map<String, Tensor> tensors, Path file) {
        copyInto(params, tensors, file, true);
    }

    private static void copyInto(Map<String, Variable> params, Map<String, Tensor> tensors, Path file, boolean required) {
        for (Map.Entry<String, Variable> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                if (!required) {
                    continue;
                }
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' is missing");
            }
            Tensor dst = e.getValue().data();
            if (!t.dtype().isFloating()) {
                // As Google's npz: integer values in a weight are a wrong or corrupt file, not numbers to convert.
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds integer values, expected "
                        + "floating point (F32, F16, BF16 or F64)");
            }
            checkShape(file, e.getKey(), t.shape(), dst.shape());
            checkFinite(file, e.getKey(), t);
            boolean frozen = dst.storage().isFrozen();
            dst.storage().setFrozen(false);
            dst.copyFrom(t.to(dst.dtype()));
            dst.storage().setFrozen(frozen);
        }
    }
}
