package org.sparsetuning.bench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.vit.flops.Flops;
import org.sparsetuning.vit.model.VitConfig;
import picocli.CommandLine;

class ModelCaseTest {
    @Test
    void flopsPerCallCountMultiplyAndAddAndTheBackwardPass() {
        // fvcore counts a multiply-add as one: ViT-B/16's 17.58 "GFLOPs" are 35.16 GFLOP of arithmetic per image.
        assertEquals(2 * 17.58 * 8, new ModelCase(ModelCase.INFERENCE, VitConfig.SPARSE_TUNING, 1, 32, 8).gflopsPerCall(17.58), 1e-9);
        assertEquals(4 * 17.58 * 8, new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, 1, 32, 8).gflopsPerCall(17.58), 1e-9);
        assertEquals(6 * 17.58 * 8, new ModelCase(ModelCase.TRAIN, VitConfig.FULL, 1, 0, 8).gflopsPerCall(17.58), 1e-9);
    }

    @Test
    void casesAreBuiltPerBatchAndUnknownNamesAreRejected() {
        ModelBenchCommand cmd = new ModelBenchCommand();
        new CommandLine(cmd).parseArgs("--cases", "infer-sparse,train-full", "--batch", "1,8,32", "--model", "vit-s,vit-b");
        assertEquals(List.of(1, 8, 32), cmd.batches);
        assertEquals(List.of("vit-s", "vit-b"), cmd.models);
        List<ModelCase> cs = cmd.cases(32);
        assertEquals(new ModelCase(ModelCase.INFERENCE, VitConfig.SPARSE_TUNING, 0.7, 32, 32), cs.get(0));
        assertEquals(new ModelCase(ModelCase.TRAIN, VitConfig.FULL, 1.0, 0, 32), cs.get(1));
        new CommandLine(cmd).parseArgs("--cases", "train-everything");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cmd.cases(8));
        assertEquals(true, e.getMessage().startsWith("--cases: unknown case 'train-everything'"));
    }

    @Test
    void framesBuildTheClipModelWithItsTokenCountAndDefaultTubelet() {
        ModelBenchCommand cmd = new ModelBenchCommand();
        new CommandLine(cmd).parseArgs("--model", "vit-b", "--frames", "8");
        assertEquals(8, cmd.frames);
        assertEquals(2, cmd.tubelet);
        VitConfig clip = ModelBenchCommand.preset("vit-b", cmd.frames, cmd.tubelet);
        // 8 frames in tubelets of 2: 4 time steps x 14 x 14 patches + CLS
        assertEquals(4 * 14 * 14, clip.numPatches());
        assertEquals("8 frames of 224x224, tubelet 2, 785 tokens", ModelBenchCommand.inputDescription(clip));
        assertArrayEquals(new int[] {1, 3, 8, 224, 224}, clip.inputShape(1));
        VitConfig image = ModelBenchCommand.preset("vit-b", 0, 2);
        assertFalse(image.isClip());
        assertEquals("224x224, 197 tokens", ModelBenchCommand.inputDescription(image));
        new CommandLine(cmd).parseArgs("--frames", "9", "--tubelet", "3");
        assertEquals(3 * 196, ModelBenchCommand.preset("vit-b", cmd.frames, cmd.tubelet).numPatches());
    }

    @Test
    void theClipModelCountsMoreFlopsThanTheImageModel() {
        ModelCase c = new ModelCase(ModelCase.INFERENCE, VitConfig.SPARSE_TUNING, 1.0, 32, 1);
        double image = Flops.count(EngineModelCase.config(c, ModelBenchCommand.preset("vit-b", 0, 2))).gflops();
        double clip = Flops.count(EngineModelCase.config(c, ModelBenchCommand.preset("vit-b", 8, 2))).gflops();
        // 4x the tokens: the linear layers grow 4x, attention's token-by-token products 16x
        assertTrue(clip > 4 * image, clip + " vs " + image);
    }

    @Test
    void badClipOptionsNameTheOptionAndWhatWasExpected() {
        assertEquals("--frames: 7 is not a multiple of --tubelet 2",
                assertThrows(IllegalArgumentException.class, () -> ModelBenchCommand.preset("vit-b", 7, 2)).getMessage());
        assertEquals("--frames: expected 0 (images) or a positive frame count, got -1",
                assertThrows(IllegalArgumentException.class, () -> ModelBenchCommand.preset("vit-b", -1, 2)).getMessage());
        assertEquals("--tubelet: expected a positive frame count, got 0",
                assertThrows(IllegalArgumentException.class, () -> ModelBenchCommand.preset("vit-b", 8, 0)).getMessage());
    }

    @Test
    void thePeerRequestCarriesTheClipShape() {
        ModelCase c = new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, 0.7, 32, 1);
        ObjectNode clip = c.peerJson(EngineModelCase.config(c, ModelBenchCommand.preset("vit-b", 8, 2)));
        assertEquals(8, clip.get("num_frames").asInt());
        assertEquals(2, clip.get("tubelet_size").asInt());
        assertEquals(224, clip.get("img_size").asInt());
        assertEquals(0.7, clip.get("keep_rate").asDouble(), 0);
        ObjectNode image = c.peerJson(EngineModelCase.config(c, ModelBenchCommand.preset("vit-b", 0, 2)));
        assertEquals(0, image.get("num_frames").asInt());
    }

    @Test
    void eachKindsSparseAndDenseSparseTuningCasesAreTimedTogetherAtTheFirstOnesPlace() {
        ModelBenchCommand cmd = new ModelBenchCommand();
        new CommandLine(cmd).parseArgs();
        assertTrue(cmd.pair);
        List<ModelCase> cs = cmd.cases(8);   // infer-dense, infer-sparse, train-sparse, train-dense, train-adaptformer, train-full
        assertEquals(List.of(List.of(cs.get(0), cs.get(1)), List.of(cs.get(2), cs.get(3)), List.of(cs.get(4)), List.of(cs.get(5))),
                ModelBenchCommand.timedTogether(cs, true));
        assertEquals(cs.stream().map(List::of).toList(), ModelBenchCommand.timedTogether(cs, false));
        new CommandLine(cmd).parseArgs("--no-pair");
        assertFalse(cmd.pair);

        // A partner is the other ρ of the same kind; a second case of the same ρ, or a lone one, stays alone.
        new CommandLine(cmd).parseArgs("--cases", "train-sparse,infer-sparse,train-sparse,train-full,train-dense");
        cs = cmd.cases(8);
        assertEquals(List.of(List.of(cs.get(0), cs.get(4)), List.of(cs.get(1)), List.of(cs.get(2)), List.of(cs.get(3))),
                ModelBenchCommand.timedTogether(cs, true));
    }
}
