package org.sparsetuning.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.train.Checkpoint;

/**
 * A fine-tuned model rebuilt from a checkpoint folder: its configuration, the backbone it was trained from (or
 * the one given), its trainable tensors, class names and input normalisation.
 */
public record LoadedModel(VisionTransformer model, List<String> classNames, Normalize norm, JsonNode runInfo) {

    public static LoadedModel open(Path checkpoint, Path backboneOverride) throws IOException {
        JsonNode state = Checkpoint.state(checkpoint);
        JsonNode info = state.path("run");
        // Same seed as the run, so that a run trained without a backbone file gets back its random backbone.
        long seed = Checkpoint.options(checkpoint).seed();
        String recorded = info.path("backbone").asText("");
        Path backbone = backboneOverride != null ? backboneOverride : recorded.isEmpty() ? null : Path.of(recorded);
        VisionTransformer model = Checkpoints.build(Checkpoint.config(checkpoint), seed, backbone, Checkpoint.weightsFile(checkpoint));
        return new LoadedModel(model, Checkpoint.classNames(checkpoint), Normalize.preset(info.path("norm").asText("half")), info);
    }

    /** The normalisation's mean and std for each of the model's input channels. */
    double[][] meanStd() {
        int c = model.cfg.inChans();
        double[] m = new double[c];
        double[] s = new double[c];
        for (int i = 0; i < c; i++) {
            m[i] = norm.mean()[norm.uniform() ? 0 : i];
            s[i] = norm.std()[norm.uniform() ? 0 : i];
        }
        return new double[][] {m, s};
    }

    public String className(int k) {
        return k < classNames.size() ? classNames.get(k) : "class " + k;
    }
}
