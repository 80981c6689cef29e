package org.sparsetuning.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
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
}
