package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.NpzReader;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * Google's npz layout (tools/fixtures/make_google_npz.py): the npz, its prefixed/compressed release form and the
 * converted timm safetensors give identical models and logits, and the logits match a forward pass computed straight
 * from the Flax kernels.
 */
class GoogleNpzLoadTest {
    static final Path DIR = Path.of("src/test/resources/npz");

    static VisionTransformer load(Path backbone) throws Exception {
        return load(backbone, PosEmbedResize.Mode.BICUBIC, s -> { });
    }

    static VisionTransformer load(Path backbone, PosEmbedResize.Mode mode, Consumer<String> log) throws Exception {
        VisionTransformer m = new VisionTransformer(VitConfig.load(DIR.resolve("config.json")), new Generator(7));
        Checkpoints.loadBackbone(m, backbone, mode, log);
        Checkpoints.loadTrainable(m, DIR.resolve("weights.safetensors"));
        return m.freezeBackbone();
    }

    static float[] logits(VisionTransformer m) throws IOException {
        Tensor images = SafetensorsReader.read(DIR.resolve("input.safetensors")).tensors().get("images");
        Variable out = m.forward(images);
        return out.data().toFloatArray();
    }

    @Test
    void npzAndSafetensorsGiveTheSameModel() throws Exception {
        VisionTransformer fromTimm = load(DIR.resolve("vit_timm.safetensors"));
        for (String npz : new String[] {"vit_google.npz", "vit_google_prefixed.npz"}) {
            VisionTransformer fromNpz = load(DIR.resolve(npz));
            Map<String, Variable> want = fromTimm.backboneParameters();
            Map<String, Variable> got = fromNpz.backboneParameters();
            assertEquals(want.keySet(), got.keySet());
            want.forEach((k, v) -> assertArrayEquals(v.data().toFloatArray(), got.get(k).data().toFloatArray(), 0f, npz + ": " + k));
            assertArrayEquals(logits(fromTimm), logits(fromNpz), 0f, npz);
        }
    }

    @Test
    void logitsMatchTheFlaxLayoutForward() throws Exception {
        float[] got = logits(load(DIR.resolve("vit_google.npz")));
        float[] want = SafetensorsReader.read(DIR.resolve("expected.safetensors")).tensors().get("logits").toFloatArray();
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        assertTrue(Math.sqrt(num / den) < 1e-4, "relative error " + Math.sqrt(num / den));
    }

    @Test
    void anotherGridIsResizedOnTheNpzPathToo(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>(NpzReader.read(DIR.resolve("vit_google.npz")));
        Tensor grid5 = Tensor.randn(new Generator(11), 1, 26, 24);
        arrays.put("Transformer/posembed_input/pos_embedding", grid5);
        Path file = tmp.resolve("grid5.npz");
        NpzTestWriter.write(file, arrays);
        List<String> log = new ArrayList<>();
        VisionTransformer m = load(file, PosEmbedResize.Mode.BICUBIC_ANTIALIAS, log::add);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("grid5.npz") && log.get(0).contains("5x5 to a 4x4"), log.get(0));
        assertArrayEquals(PosEmbedResize.resize(grid5, 4, PosEmbedResize.Mode.BICUBIC_ANTIALIAS).toFloatArray(),
                m.posEmbed.data().toFloatArray(), 0f);
    }

    /** A copy of the plain npz with one key removed, replaced or added; returns the error message of loading it. */
    static String hostile(Path tmp, String name, String key, Tensor replacement, boolean remove) throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>(NpzReader.read(DIR.resolve("vit_google.npz")));
        if (remove) {
            arrays.remove(key);
        } else {
            arrays.put(key, replacement);
        }
        Path file = tmp.resolve(name);
        NpzTestWriter.write(file, arrays);
        Exception e = assertThrows(IOException.class, () -> load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingKeyIsNamed(@TempDir Path tmp) throws Exception {
        String key = "Transformer/encoderblock_2/MlpBlock_3/Dense_1/bias";
        String msg = hostile(tmp, "missing.npz", key, null, true);
        assertTrue(msg.contains("'" + key + "' is missing"), msg);
    }

    @Test
    void wrongShapeIsNamed(@TempDir Path tmp) throws Exception {
        // 4 heads of 6 instead of the configured 3 of 8: same element count, which a flat copy would not notice.
        String key = "Transformer/encoderblock_1/MultiHeadDotProductAttention_1/key/kernel";
        String msg = hostile(tmp, "heads.npz", key, Tensor.zeros(24, 4, 6), false);
        assertTrue(msg.contains("'" + key + "' has shape [24, 4, 6]") && msg.contains("[24, 3, 8]")
                && msg.contains("num_heads 3"), msg);
        String pos = "Transformer/posembed_input/pos_embedding";
        msg = hostile(tmp, "pos.npz", pos, Tensor.zeros(1, 17, 12), false);
        assertTrue(msg.contains("'" + pos + "' has shape [1, 17, 12]"), msg);
    }

    @Test
    void unexpectedAndNonFloatKeysAreNamed(@TempDir Path tmp) throws Exception {
        String extra = "Transformer/encoderblock_3/LayerNorm_0/scale";
        String msg = hostile(tmp, "deeper.npz", extra, Tensor.ones(24), false);
        assertTrue(msg.contains(extra) && msg.contains("not part of Google's ViT layout") && msg.contains("depth 3"), msg);
        String key = "cls";
        msg = hostile(tmp, "ints.npz", key, Tensor.ofInts(new int[24], 1, 1, 24), false);
        assertTrue(msg.contains("'cls' holds I32"), msg);
    }

}
