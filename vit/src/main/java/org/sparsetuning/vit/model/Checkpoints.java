package org.sparsetuning.vit.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * Loads the backbone (timm safetensors, or Google's npz picked by the {@code .npz} extension) and the trainable
 * tensors (safetensors), with errors naming file and tensor. A backbone whose position embedding has another patch
 * grid than the model's is resized ({@link PosEmbedResize}).
 */
public final class Checkpoints {
    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());

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
        Map<String, Tensor> tensors = readBackbone(model.cfg, file);
        List<String> unexpected = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (!VisionTransformer.isBackboneName(k) && !ignorableBackboneKey(k) && !model.addedParameters().containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(file + ": tensors " + unexpected + " are not part of the model's backbone");
        }
        Tensor pos = tensors.get("pos_embed");
        if (pos != null) {
            tensors.put("pos_embed", fitPosEmbed(pos, model, file, resize, log));
        }
        copyInto(model.backboneParameters(), tensors, file);
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

    /** The checkpoint's position embedding, resampled to the model's grid when only the grid differs. */
    private static Tensor fitPosEmbed(Tensor pos, VisionTransformer model, Path file, PosEmbedResize.Mode resize,
            Consumer<String> log) {
        int[] want = model.posEmbed.data().shape();
        int[] have = pos.shape();
        if (Arrays.equals(have, want) || have.length != 3 || have[0] != 1 || have[2] != want[2]) {
            return pos;      // equal, or wrong in a way no resize fixes: copyInto reports the shape
        }
        int from;
        try {
            from = PosEmbedResize.gridOf(pos);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": tensor 'pos_embed': " + e.getMessage(), e);
        }
        int to = model.cfg.gridSize();
        log.accept(file + ": pos_embed resized from a " + from + "x" + from + " to a " + to + "x" + to + " patch grid ("
                + resize.describe() + ")");
        return PosEmbedResize.resize(pos, to, resize);
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
            if (!Arrays.equals(t.shape(), dst.shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + " but the model expects " + Arrays.toString(dst.shape()));
            }
            boolean frozen = dst.storage().isFrozen();
            dst.storage().setFrozen(false);
            dst.copyFrom(t.to(dst.dtype()));
            dst.storage().setFrozen(frozen);
        }
    }
}
