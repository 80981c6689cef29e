package org.sparsetuning.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.VitConfig;

/**
 * A checkpoint directory. It never holds the frozen backbone, only what training changed:
 * <ul>
 *   <li>{@code weights.safetensors}: the model's trainable tensors under their SPEC G names (adapters, head, and
 *       the backbone tensors a method trains), loadable by {@code eval}, {@code predict} and {@code trace --weights};</li>
 *   <li>{@code optimizer.safetensors}: AdamW's moments, {@code exp_avg.NAME} and {@code exp_avg_sq.NAME} for each
 *       trainable tensor NAME (PyTorch's names for them);</li>
 *   <li>{@code config.json}: the model configuration (SPEC G JSON, every field);</li>
 *   <li>{@code state.json}: position in the run (epoch, batch, step, optimizer steps), the training options and
 *       seed, the class names, the best evaluation so far, the history of finished epochs, and the run's inputs.</li>
 * </ul>
 * Each file is written atomically, and {@link CheckpointStore} swaps whole directories, so a crash leaves the
 * previous checkpoint or the new one.
 */
public final class Checkpoint {
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String CONFIG = "config.json";
    public static final String STATE = "state.json";
    static final String M = "exp_avg.";
    static final String V = "exp_avg_sq.";

    private Checkpoint() {
    }

    /** Writes every file into {@code dir} (created if needed). */
    static void write(Path dir, VisionTransformer model, AdamW optimizer, ObjectNode state) throws IOException {
        Files.createDirectories(dir);
        Map<String, Variable> trainable = model.trainableNamed();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> moments = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Variable> e : trainable.entrySet()) {
            weights.put(e.getKey(), e.getValue().data());
            Tensor[] mv = optimizer.state(i++);
            if (mv[0] != null) {
                moments.put(M + e.getKey(), mv[0]);
                moments.put(V + e.getKey(), mv[1]);
            }
        }
        // An ordered map: equal checkpoints are equal files (Map.of's order changes from one JVM to the next).
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "sparse-tune trainable tensors");
        meta.put("method", model.cfg.method());
        new SafetensorsWriter().metadata(meta).write(dir.resolve(WEIGHTS), weights);
        new SafetensorsWriter().metadata(Map.of("format", "sparse-tune AdamW moments")).write(dir.resolve(OPTIMIZER), moments);
        Json.write(dir.resolve(CONFIG), ConfigJson.of(model.cfg));
        // The state goes last: a directory with a state file has all its other files.
        Json.write(dir.resolve(STATE), state);
    }

    /** The model configuration a checkpoint was trained with. */
    public static VitConfig config(Path dir) throws IOException {
        requireCheckpoint(dir);
        return VitConfig.load(dir.resolve(CONFIG));
    }

    /** Copies the trainable tensors into a model built from {@link #config(Path)} (backbone loaded separately). */
    /** The checkpoint's weights file (trainable tensors), for {@link Checkpoints#build}. */
    public static Path weightsFile(Path dir) throws IOException {
        requireCheckpoint(dir);
        return dir.resolve(WEIGHTS);
    }

    public static void loadWeights(Path dir, VisionTransformer model) throws IOException {
        requireCheckpoint(dir);
        Checkpoints.loadTrainable(model, dir.resolve(WEIGHTS));
    }

    /** The raw {@code state.json}. */
    public static JsonNode state(Path dir) throws IOException {
        requireCheckpoint(dir);
        return Json.read(dir.resolve(STATE), "checkpoint state");
    }

    /** The training options recorded in {@code state.json}; a missing or wrong field fails naming the file. */
    public static TrainOptions options(Path dir) throws IOException {
        JsonNode options = state(dir).get("options");
        if (options == null || !options.isObject()) {
            throw new IllegalArgumentException(dir.resolve(STATE) + ": field 'options' is missing or not an object");
        }
        try {
            return TrainOptions.fromJson(options);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve(STATE) + ": options: " + e.getMessage(), e);
        }
    }

    /** Class names recorded by the run that wrote the checkpoint. */
    public static List<String> classNames(Path dir) throws IOException {
        JsonNode names = state(dir).get("class_names");
        List<String> out = new ArrayList<>();
        if (names != null && !names.isNull()) {
            if (!names.isArray()) {
                throw new IllegalArgumentException(dir.resolve(STATE) + ": field 'class_names' must be an array of names, got "
                        + names.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            for (JsonNode n : names) {
                if (!n.isTextual()) {
                    throw new IllegalArgumentException(dir.resolve(STATE) + ": field 'class_names' must hold strings, got " + n);
                }
                out.add(n.textValue());
            }
        }
        return out;
    }

    /** Restores AdamW's moments and step count; every tensor must fit the model's trainable tensors. */
    static void loadOptimizer(Path dir, VisionTransformer model, AdamW optimizer, long optimizerSteps) throws IOException {
        Path file = dir.resolve(OPTIMIZER);
        Map<String, Tensor> saved = new LinkedHashMap<>(SafetensorsReader.read(file).tensors());
        int i = 0;
        for (String name : model.trainableNamed().keySet()) {
            Tensor m = saved.remove(M + name);
            Tensor v = saved.remove(V + name);
            try {
                optimizer.loadState(i++, m, v, optimizerSteps);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": moments of '" + name + "' do not fit: " + e.getMessage(), e);
            }
        }
        if (!saved.isEmpty()) {
            throw new IllegalArgumentException(file + ": tensors " + saved.keySet() + " belong to no trainable tensor of this model");
        }
    }

    static void requireCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir + ": checkpoint directory not found");
        }
        for (String f : List.of(STATE, CONFIG, WEIGHTS)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new java.nio.file.NoSuchFileException(dir + ": not a checkpoint directory (no " + f + ")");
            }
        }
    }
}
