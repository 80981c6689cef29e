package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.random.Generator;

/** Values refused when the configuration is read, rather than where they would first break the model. */
class VitConfigChecksTest {
    /** Found by fuzzing: in_chans 0 passed and only failed later, inside Tensor.view. */
    @Test
    void zeroInputChannelsAreRefusedNamingTheFileAndField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"in_chans\": 0}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(file));
        assertEquals(file + ": in_chans must be positive, got 0", e.getMessage());
    }

    /** img_size 400000 with patch 1 overflowed the int token count (to 1086210049) and failed in Shape, unnamed. */
    @Test
    void aTokenCountBeyondAnArrayIsRefusedNamingTheFields(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"img_size\": 400000, \"patch_size\": 1, "
                + "\"embed_dim\": 16, \"num_heads\": 2, \"ts_layers\": []}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(file));
        assertEquals(file + ": img_size 400000 / patch_size 1 gives 160000000001 tokens: the position embedding "
                + "[1, 160000000001, 16] would have more than 2^31-1 elements", e.getMessage());
    }

    @Test
    void aWidthBeyondAnArrayIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"embed_dim\": 65536, \"num_heads\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(file));
        assertEquals(file + ": embed_dim 65536: the attention weight [196608, 65536] would have more than 2^31-1 elements",
                e.getMessage());
    }

    /** A NaN or infinite scale passed and only showed as a NaN training loss. */
    @Test
    void scalesMustBeFinite(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"adapter_scale\": 1e999}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(file));
        assertEquals(file + ": adapter_scale must be a finite number, got Infinity", e.getMessage());
        Path lora = Files.writeString(dir.resolve("lora.json"), "{\"method\": \"lora\", \"lora_alpha\": -1e999}");
        e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(lora));
        assertEquals(lora + ": lora_alpha must be a finite number, got -Infinity", e.getMessage());
    }

    /** A valid but enormous model (ViT-B at depth 2000: 14 G parameters) ended in an OutOfMemoryError. */
    @Test
    void aModelLargerThanTheHeapIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"img_size\": 16, \"patch_size\": 4, \"depth\": 2000, "
                + "\"ts_layers\": []}");
        VitConfig cfg = VitConfig.load(file);
        long params = cfg.backboneParameters();
        assertTrue(params > Runtime.getRuntime().maxMemory() / 4, "the test needs a heap under " + params * 4 + " bytes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VisionTransformer(cfg, new Generator(0)));
        assertTrue(e.getMessage().startsWith("the model (embed_dim 768, depth 2000, mlp_ratio 4.0, 17 tokens) has "
                + String.format(java.util.Locale.ROOT, "%,d", params) + " backbone parameters"), e.getMessage());
    }

    /** The lower bound is the backbone's exact parameter count. */
    @Test
    void backboneParametersCountsTheBackbone(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"img_size\": 16, \"patch_size\": 4, \"embed_dim\": 16, "
                + "\"num_heads\": 2, \"depth\": 3, \"ts_layers\": [2], \"mlp_ratio\": 2.0}");
        VitConfig cfg = VitConfig.load(file);
        VisionTransformer model = new VisionTransformer(cfg, new Generator(0));
        long counted = model.backboneParameters().values().stream().mapToLong(v -> v.data().numel()).sum();
        assertEquals(counted, cfg.backboneParameters());
    }
}
