package org.sparsetuning.vit.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;

/** Loads the backbone and the trainable tensors from safetensors files, with errors naming file and tensor. */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** timm keys that a backbone file may carry but this model has no use for. */
    private static boolean ignorableBackboneKey(String name) {
        return name.startsWith("head.") || name.startsWith("pre_logits.") || name.startsWith("fc_norm.");
    }

    public static Map<String, Tensor> read(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(what + " file not found: " + file);
        }
        return SafetensorsReader.read(file).tensors();
    }

    /** Every backbone tensor must be present with the model's shape. */
    public static void loadBackbone(VisionTransformer model, Path file) throws IOException {
        Map<String, Tensor> tensors = read(file, "backbone");
        List<String> unexpected = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (!VisionTransformer.isBackboneName(k) && !ignorableBackboneKey(k) && !model.addedParameters().containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException(file + ": tensors " + unexpected + " are not part of the model's backbone");
        }
        copyInto(model.backboneParameters(), tensors, file);
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
