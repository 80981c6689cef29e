package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** A backbone made for a 4×4 patch grid (the golden cases: 32 px, patch 8) loaded into models of other image sizes. */
class BackboneResizeLoadTest {
    static final Path CASE = Path.of("src/test/resources/golden/st_rho07_d8");

    static VitConfig withImgSize(int img) throws Exception {
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readAllBytes(CASE.resolve("config.json")));
        json.put("img_size", img);
        return VitConfig.parse(json);
    }

    @ParameterizedTest
    @CsvSource({"40, 5, bicubic", "48, 6, bicubic-antialias", "24, 3, bicubic", "16, 2, bicubic-antialias"})
    void positionEmbeddingIsResampledAndLogged(int img, int grid, String modeName) throws Exception {
        PosEmbedResize.Mode mode = PosEmbedResize.Mode.parse(modeName);
        VisionTransformer model = new VisionTransformer(withImgSize(img), new Generator(3));
        List<String> log = new ArrayList<>();
        Path file = CASE.resolve("backbone.safetensors");
        Checkpoints.loadBackbone(model, file, mode, log::add);

        Map<String, Tensor> ckpt = SafetensorsReader.read(file).tensors();
        Tensor want = PosEmbedResize.resize(ckpt.get("pos_embed"), grid, mode);
        assertArrayEquals(new int[] {1, 1 + grid * grid, 24}, model.posEmbed.data().shape());
        assertArrayEquals(want.toFloatArray(), model.posEmbed.data().toFloatArray(), 0f);
        assertArrayEquals(ckpt.get("blocks.3.attn.qkv.weight").toFloatArray(),
                model.blocks.get(3).attn.qkv.weight.data().toFloatArray(), 0f, "the rest loads unchanged");
        assertEquals(1, log.size(), log.toString());
        String line = log.get(0);
        assertTrue(line.contains("backbone.safetensors") && line.contains("4x4") && line.contains(grid + "x" + grid)
                && line.contains(mode.describe()), line);

        model.freezeBackbone();
        Variable logits = model.forward(Tensor.randn(new Generator(5), 2, 3, img, img));
        assertArrayEquals(new int[] {2, 10}, logits.data().shape());
        for (float v : logits.data().toFloatArray()) {
            assertTrue(Float.isFinite(v));
        }
    }

    @Test
    void matchingGridLogsNothing() throws Exception {
        VisionTransformer model = new VisionTransformer(withImgSize(32), new Generator(3));
        List<String> log = new ArrayList<>();
        Checkpoints.loadBackbone(model, CASE.resolve("backbone.safetensors"), PosEmbedResize.Mode.BICUBIC, log::add);
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void nonSquareTokenCountIsNamed(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>(SafetensorsReader.read(CASE.resolve("backbone.safetensors")).tensors());
        t.put("pos_embed", Tensor.zeros(1, 13, 24));
        Path bad = tmp.resolve("bad.safetensors");
        new SafetensorsWriter().write(bad, t);
        VisionTransformer model = new VisionTransformer(withImgSize(32), new Generator(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, bad));
        assertTrue(e.getMessage().contains("bad.safetensors") && e.getMessage().contains("pos_embed")
                && e.getMessage().contains("13 tokens"), e.getMessage());
    }

    @Test
    void otherEmbeddingWidthIsAShapeErrorNotAResize(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>(SafetensorsReader.read(CASE.resolve("backbone.safetensors")).tensors());
        t.put("pos_embed", Tensor.zeros(1, 26, 12));
        Path bad = tmp.resolve("wide.safetensors");
        new SafetensorsWriter().write(bad, t);
        VisionTransformer model = new VisionTransformer(withImgSize(32), new Generator(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, bad));
        assertTrue(e.getMessage().contains("wide.safetensors") && e.getMessage().contains("'pos_embed' has shape [1, 26, 12]"),
                e.getMessage());
    }
}
