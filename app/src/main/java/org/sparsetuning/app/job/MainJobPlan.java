package org.sparsetuning.app.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;
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
        VitConfig vit = new VitConfig(28, 7, 1, 64, 12, 4, 4.0, 5, 8, 1.0, 1.0, List.of(), VitConfig.FULL, Fusion.SUM,
                "paper", List.of(1, 3), "linear");
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
     * 5-class head. Sparse-Tuning sparsifies at layers 4, 7, 10 with ρ 0.7 and Dense Adapters of width d' 8 (the
     * paper's VTAB choice); the baselines run the dense ViT, as in the paper's tables. Adapter widths are scaled to
     * this small model (8 of 64, as 64 of 768 would be too wide); KAdaptation uses n 8 Kronecker terms (8 divides 64).
     */
    public Map<String, VitConfig> methods() {
        VitConfig down = new VitConfig(upstream.imgSize(), upstream.patchSize(), upstream.inChans(), upstream.embedDim(),
                upstream.depth(), upstream.numHeads(), upstream.mlpRatio(), 5, 8, 1.0, 1.0, List.of(), VitConfig.FULL,
                Fusion.SUM, "paper", List.of(1, 3), "linear");
        Map<String, VitConfig> m = new LinkedHashMap<>();
        m.put("sparse-tuning", down.withMethod(VitConfig.SPARSE_TUNING).withKeepRate(0.7).withTsLayers(List.of(4, 7, 10))
                .withAdapter(8, 1.0));
        m.put("full", down.withMethod(VitConfig.FULL));
        m.put("linear-probe", down.withMethod(VitConfig.LINEAR_PROBE));
        m.put("adaptformer", down.withMethod(VitConfig.ADAPTFORMER).withAdapter(8, 0.1));
        m.put("lora", down.withMethod(VitConfig.LORA).withOptions(MethodOptions.DEFAULTS.withLora(4, 8.0)));
        m.put("kadaptation", down.withMethod(VitConfig.KADAPTATION).withOptions(MethodOptions.DEFAULTS.withKadapt(8, 1, 160.0, false)));
        return m;
    }
}
