package org.sparsetuning.app.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.Presets;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.train.TrainOptions;

/**
 * Every choice of the main job: the small ViT and how it is pre-trained upstream, the few-shot task, and the
 * methods compared downstream with their options. {@link #standard()} is what {@code ./sparse-tune} runs.
 *
 * @param upstreamLimit upstream training images used (a seeded sample of the 30,000)
 * @param shots few-shot training images per downstream class
 * @param valPerClass validation images per downstream class (pick the best epoch; never tested on)
 * @param pictures test images drawn with their kept tokens
 */
public record MainJobPlan(VitConfig upstream, TrainOptions pretrain, int upstreamLimit, TrainOptions finetune, int shots,
        int valPerClass, int pictures, long seed) {

    /**
     * The default job. The ViT has the depth of ViT-B (12 blocks, so Token Sparsification runs at layers 4, 7 and 10
     * as in the paper) and a small width: D 64, 4 heads, MLP 256, patch 7, so a 28×28 image is 16 tokens plus CLS.
     */
    public static MainJobPlan standard() {
        VitConfig vit = Presets.config("fmnist", VitConfig.FULL, 5);
        TrainOptions pretrain = new TrainOptions(4, 128, 1, 2e-3, 1e-5, 1, 0.05, 0.1, 0, 0);
        TrainOptions finetune = new TrainOptions(12, 32, 1, 2e-3, 1e-5, 2, 1e-4, 0.0, 0, 0);
        return new MainJobPlan(vit, pretrain, 30_000, finetune, 200, 100, 5, 0);
    }

    /** The same job shrunk to seconds, for tests: fewer images and epochs, a shallower pre-training. */
    public static MainJobPlan quick() {
        MainJobPlan s = standard();
        return new MainJobPlan(s.upstream, s.pretrain.withEpochs(1), 200, s.finetune.withEpochs(1), 4, 2, 2, s.seed);
    }

    /**
     * The downstream methods, by the name shown in the table, each as a configuration of the pre-trained ViT with a
     * 5-class head. Every method starts from its own defaults ({@link org.sparsetuning.vit.model.MethodDefaults}: the
     * baselines dense, Sparse-Tuning at ρ 0.7 on layers 4, 7, 10); {@link #OVERRIDES} lists the few settings this
     * small model changes, each with its reason.
     */
    public Map<String, VitConfig> methods() {
        Map<String, VitConfig> m = new LinkedHashMap<>();
        for (String method : List.of(VitConfig.SPARSE_TUNING, VitConfig.FULL, VitConfig.LINEAR_PROBE, VitConfig.ADAPTFORMER,
                VitConfig.LORA, VitConfig.KADAPTATION)) {
            ObjectNode c = Presets.json("fmnist");
            c.put("num_classes", 5);
            c.put("method", method);
            OVERRIDES.stream().filter(o -> o.method().equals(method)).forEach(o -> o.applyTo(c));
            m.put(method, ConfigJson.parse(c));
        }
        return m;
    }

    /** A setting the main job changes from a method's default, and why. */
    public record Departure(String method, String field, double value, double defaultValue, String why) {
        /** Sets the field in a config draft (an integer where the value is one: sizes are integer fields). */
        public void applyTo(ObjectNode config) {
            if (value == Math.rint(value)) {
                config.put(field, (int) value);
            } else {
                config.put(field, value);
            }
        }
    }

    /** The main job's departures from the methods' defaults (README's table of the main job lists the same). */
    public static final List<Departure> OVERRIDES = List.of(
            new Departure(VitConfig.SPARSE_TUNING, "adapter_dim", 8, 32, "d' 8, the paper's choice for the few-shot VTAB-1K"),
            new Departure(VitConfig.ADAPTFORMER, "adapter_dim", 8, 64,
                    "d' 64 would be as wide as this model (D 64); 8 keeps Sparse-Tuning's width for a like comparison"),
            new Departure(VitConfig.KADAPTATION, "kadapt_n", 8, 32,
                    "n 32 would leave B_k 2×2 at width 64; n 8 ≈ √64 keeps A_k and B_k of similar size (8×8), as n 32 does at ViT-B (32×32, 24×24)"));
}
