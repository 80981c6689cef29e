package org.sparsetuning.app.video;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparsetuning.train.TrainOptions;
import org.sparsetuning.vit.model.MethodOptions;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/**
 * Every choice of the video demo: the clips, the small video ViT and its pre-training, and the methods compared.
 *
 * @param views multi-view testing of the comparison (temporal clips × spatial crops)
 * @param pictures test clips drawn with their kept tubelets
 */
record VideoDemoPlan(MovingFashion.Sizes sizes, VitConfig upstream, TrainOptions pretrain, TrainOptions finetune,
        String views, int pictures, long seed) {

    /**
     * The default demo. The ViT has the depth of ViT-B (12 blocks, Token Sparsification at layers 4, 7, 10) and a small
     * width (D 64, 4 heads); clips of 8 frames of 32×32 in tubelets of 2×8×8 give 4 × 16 = 64 tokens plus CLS.
     */
    static VideoDemoPlan standard() {
        MovingFashion.Sizes sizes = new MovingFashion.Sizes(60, 10, 24, 8, 30, 12);
        TrainOptions pretrain = new TrainOptions(6, 32, 1, 1e-3, 1e-5, 1, 0.05, 0.0, 0, 0);
        TrainOptions finetune = new TrainOptions(8, 16, 1, 2e-3, 1e-5, 1, 1e-4, 0.0, 0, 0);
        return new VideoDemoPlan(sizes, vit(20), pretrain, finetune, "2x1", 4, 0);
    }

    /** The same demo shrunk to seconds, for tests. */
    static VideoDemoPlan quick() {
        VideoDemoPlan s = standard();
        return new VideoDemoPlan(new MovingFashion.Sizes(2, 1, 2, 1, 1, 10), vit(16, 2, 20), s.pretrain.withEpochs(1),
                s.finetune.withEpochs(1), s.views, 2, s.seed);
    }

    static VitConfig vit(int classes) {
        return vit(64, 4, classes);
    }

    /** The demo's video ViT of width {@code width}: 12 blocks, 8 frames of 32×32, tubelets of 2×8×8. */
    static VitConfig vit(int width, int heads, int classes) {
        return new VitConfig(MovingFashion.CANVAS, 8, 1, width, 12, heads, 4.0, classes, 8, 1.0, 1.0, List.of(), VitConfig.FULL,
                Fusion.SUM, "paper", List.of(1, 3), "linear").withClip(8, 2);
    }

    /**
     * The downstream methods on the pre-trained ViT with an 8-class head: Sparse-Tuning (ρ 0.7 at layers 4, 7, 10,
     * Dense Adapters of d' 8), full fine-tuning, AdaptFormer (d' 8, scale 0.1) and LoRA (rank 4), with the widths of
     * the main job.
     */
    Map<String, VitConfig> methods() {
        VitConfig down = vit(upstream.embedDim(), upstream.numHeads(), 8);
        Map<String, VitConfig> m = new LinkedHashMap<>();
        m.put("sparse-tuning", down.withMethod(VitConfig.SPARSE_TUNING).withKeepRate(0.7).withTsLayers(List.of(4, 7, 10))
                .withAdapter(8, 1.0));
        m.put("full", down.withMethod(VitConfig.FULL));
        m.put("adaptformer", down.withMethod(VitConfig.ADAPTFORMER).withAdapter(8, 0.1));
        m.put("lora", down.withMethod(VitConfig.LORA).withOptions(MethodOptions.DEFAULTS.withLora(4, 8.0)));
        return m;
    }
}
