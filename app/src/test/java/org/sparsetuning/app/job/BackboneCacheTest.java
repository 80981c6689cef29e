package org.sparsetuning.app.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsContent;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.Fusion;

/** Storing a pre-trained backbone and finding it again: both files in place, nothing half-written accepted. */
class BackboneCacheTest {
    @TempDir
    Path dir;

    private static final VitConfig TINY = new VitConfig(12, 3, 3, 6, 1, 2, 2.0, 2, 4, 1.0, 1.0, List.of(),
            VitConfig.LINEAR_PROBE, Fusion.SUM, "paper", List.of(1, 3), "linear");

    @Test
    void aStoredBackboneIsFoundWithItsWeightsRecipeAndScore() throws Exception {
        Path folder = dir.resolve("recipe");
        VisionTransformer model = new VisionTransformer(TINY, new Generator(3)).freezeBackbone();
        assertNull(BackboneCache.find(folder), "nothing stored yet");

        Path file = BackboneCache.store(folder, model, "the recipe", TINY,
                JsonNodeFactory.instance.objectNode().put("epochs", 2), 0.75, 1.5);

        assertEquals(file, BackboneCache.find(folder));
        SafetensorsContent content = SafetensorsReader.read(file);
        assertEquals("the recipe", content.metadata().get("recipe"));
        Map<String, Variable> weights = model.backboneParameters();
        assertEquals(weights.keySet(), content.tensors().keySet());
        weights.forEach((name, v) -> assertArrayEquals(v.data().toFloatArray(), content.tensors().get(name).toFloatArray(), name));
        var info = new ObjectMapper().readTree(folder.resolve(BackboneCache.INFO).toFile());
        assertEquals(0.75, info.get("upstream_test_top1").asDouble());
        assertEquals(2, info.get("pretrain").get("epochs").asInt());
        try (var files = Files.list(folder)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".part")), "no temporary file left behind");
        }
    }

    @Test
    void aStoreCutShortIsNotFound() throws Exception {
        Path folder = dir.resolve("cut");
        Files.createDirectories(folder);
        // The weights moved into place, the information file not yet: the backbone must be trained again.
        Files.writeString(folder.resolve(BackboneCache.WEIGHTS), "weights");
        Files.writeString(folder.resolve(BackboneCache.INFO + ".part"), "{}");
        assertNull(BackboneCache.find(folder));
    }
}
