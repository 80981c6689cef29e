package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** SPEC H's inflation of an image backbone for a clip model, alone, on load, composed with resizing, from npz. */
class ClipInflationTest {
    static final Path NPZ = Path.of("src/test/resources/npz");
    /** A golden backbone made for a 3×3 patch grid (24 px, patch 8, D 24, depth 12). */
    static final Path GRID3 = Path.of("src/test/resources/golden/st_resize_g3_to_g4/backbone.safetensors");

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    @Test
    void kernelAndPositionEmbeddingByTheRule() {
        Tensor w2 = randn(1, 5, 3, 3, 3);
        Tensor w3 = ClipInflation.kernel(w2, 4);
        assertArrayEquals(new int[] {5, 3, 4, 3, 3}, w3.shape());
        for (int i = 0; i < 4; i++) {
            float[] frame = w3.narrow(2, i, 1).contiguous().toFloatArray();
            float[] want = w2.toFloatArray();
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k] / 4, frame[k], 1e-7f);
            }
        }
        Tensor pos = randn(2, 1, 1 + 6, 4);
        Tensor inflated = ClipInflation.posEmbed(pos, 3);
        assertArrayEquals(new int[] {1, 1 + 18, 4}, inflated.shape());
        assertArrayEquals(pos.narrow(1, 0, 1).toFloatArray(), inflated.narrow(1, 0, 1).toFloatArray(), 0f, "CLS row kept");
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(pos.narrow(1, 1, 6).toFloatArray(), inflated.narrow(1, 1 + 6 * t, 6).toFloatArray(), 0f,
                    "time step " + t + " is the spatial embedding (time outermost)");
        }
    }

    @Test
    void aClipOfIdenticalFramesEmbedsAsTheImage() {
        VitConfig image = new VitConfig(12, 3, 3, 6, 1, 2, 2.0, 2, 4, 1.0, 1.0, List.of(), VitConfig.LINEAR_PROBE,
                org.sparsetuning.vit.sparsify.Fusion.SUM, "paper", List.of(1, 3), "linear");
        PatchEmbed img = new PatchEmbed(3, 3, 6, new Generator(1));
        PatchEmbed clip = new PatchEmbed(3, 2, 3, 6, new Generator(2));
        Map<String, Tensor> state = new LinkedHashMap<>(img.stateDict());
        state.put("proj.weight", ClipInflation.kernel(state.get("proj.weight"), 2));
        clip.loadStateDict(state, true, "inflated");
        Tensor frame = randn(3, 2, 3, 1, 12, 12);
        Tensor frames = Ops.concat(new Tensor[] {frame, frame, frame, frame}, 2);     // T = 4: two tubelets
        float[] want = img.forward(frame.reshape(2, 3, 12, 12)).data().toFloatArray();
        float[] got = clip.forward(frames).data().toFloatArray();
        int perStep = image.numPatches() * 6;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                for (int k = 0; k < perStep; k++) {
                    assertEquals(want[b * perStep + k], got[(b * 2 + t) * perStep + k], 1e-5f);
                }
            }
        }
    }

    @Test
    void anImageBackboneIsInflatedOnLoadAfterResizingItsGrid(@TempDir Path tmp) throws Exception {
        // 24-px backbone (3×3) into a 32-px (4×4) clip model of 6 frames, t = 3: resize, then repeat over 2 steps.
        VitConfig cfg = new VitConfig(32, 8, 3, 24, 12, 3, 2.0, 5, 8, 1.0, 1.0, List.of(), VitConfig.LINEAR_PROBE,
                org.sparsetuning.vit.sparsify.Fusion.SUM, "paper", List.of(1, 3), "linear").withClip(6, 3);
        VisionTransformer m = new VisionTransformer(cfg, new Generator(3));
        List<String> log = new ArrayList<>();
        Checkpoints.loadBackbone(m, GRID3, PosEmbedResize.Mode.BICUBIC, log::add);
        Map<String, Tensor> file = SafetensorsReader.read(GRID3).tensors();
        assertArrayEquals(ClipInflation.kernel(file.get("patch_embed.proj.weight"), 3).toFloatArray(),
                m.patchEmbed.namedParameters().get("proj.weight").data().toFloatArray(), 0f);
        Tensor spatial = PosEmbedResize.resize(file.get("pos_embed"), 4, PosEmbedResize.Mode.BICUBIC);
        assertArrayEquals(ClipInflation.posEmbed(spatial, 2).toFloatArray(), m.posEmbed.data().toFloatArray(), 0f);
        assertEquals(2, log.size(), "one line for the resize, one for the inflation: " + log);
        assertTrue(log.get(1).contains("inflated"), log.get(1));

        // A native clip backbone (as saved from that model) loads as is; in an image model it is refused in one line.
        Path video = tmp.resolve("video.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>();
        m.backboneParameters().forEach((k, v) -> state.put(k, v.data()));
        new SafetensorsWriter().write(video, state);
        VisionTransformer again = new VisionTransformer(cfg, new Generator(4));
        List<String> quiet = new ArrayList<>();
        Checkpoints.loadBackbone(again, video, PosEmbedResize.Mode.BICUBIC, quiet::add);
        assertTrue(quiet.isEmpty(), quiet.toString());
        assertArrayEquals(m.posEmbed.data().toFloatArray(), again.posEmbed.data().toFloatArray(), 0f);
        VisionTransformer imageModel = new VisionTransformer(cfg.withClip(0, 2), new Generator(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.loadBackbone(imageModel, video, PosEmbedResize.Mode.BICUBIC, s -> { }));
        assertTrue(e.getMessage().startsWith(video + ": tensor 'patch_embed.proj.weight' has shape [24, 3, 3, 8, 8], a video"),
                e.getMessage());
    }

    @Test
    void aClipBackboneForAnotherGridIsResizedPerTimeStep(@TempDir Path tmp) throws Exception {
        VitConfig small = new VitConfig(24, 8, 3, 24, 12, 3, 2.0, 5, 8, 1.0, 1.0, List.of(), VitConfig.LINEAR_PROBE,
                org.sparsetuning.vit.sparsify.Fusion.SUM, "paper", List.of(1, 3), "linear").withClip(4, 2);
        VisionTransformer from = new VisionTransformer(small, new Generator(5));
        Path video = tmp.resolve("video3.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>();
        from.backboneParameters().forEach((k, v) -> state.put(k, v.data()));
        new SafetensorsWriter().write(video, state);
        VitConfig big = new VitConfig(32, 8, 3, 24, 12, 3, 2.0, 5, 8, 1.0, 1.0, List.of(), VitConfig.LINEAR_PROBE,
                org.sparsetuning.vit.sparsify.Fusion.SUM, "paper", List.of(1, 3), "linear").withClip(4, 2);
        VisionTransformer to = new VisionTransformer(big, new Generator(6));
        Checkpoints.loadBackbone(to, video, PosEmbedResize.Mode.BICUBIC, s -> { });
        Tensor pos = from.posEmbed.data();
        for (int t = 0; t < 2; t++) {
            Tensor step = Ops.concat(new Tensor[] {pos.narrow(1, 0, 1), pos.narrow(1, 1 + 9 * t, 9)}, 1);
            Tensor want = PosEmbedResize.resize(step, 4, PosEmbedResize.Mode.BICUBIC);
            assertArrayEquals(want.narrow(1, 1, 16).contiguous().toFloatArray(),
                    to.posEmbed.data().narrow(1, 1 + 16 * t, 16).contiguous().toFloatArray(), 0f, "time step " + t);
        }
        // Made for 4 frames (2 steps of 3×3), given to an 8-frame model (4 steps): no temporal resampling.
        VisionTransformer longer = new VisionTransformer(big.withClip(8, 2), new Generator(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.loadBackbone(longer, video, PosEmbedResize.Mode.BICUBIC, s -> { }));
        assertEquals(video + ": tensor 'pos_embed' has 19 tokens: not a class token plus 4 time steps of a square patch grid",
                e.getMessage());
    }

    @Test
    void googleNpzBackbonesAreInflatedToo() throws Exception {
        VitConfig cfg = VitConfig.load(NPZ.resolve("config.json")).withClip(2, 2);
        VisionTransformer fromNpz = new VisionTransformer(cfg, new Generator(7));
        Checkpoints.loadBackbone(fromNpz, NPZ.resolve("vit_google.npz"), PosEmbedResize.Mode.BICUBIC, s -> { });
        VisionTransformer fromTimm = new VisionTransformer(cfg, new Generator(8));
        Checkpoints.loadBackbone(fromTimm, NPZ.resolve("vit_timm.safetensors"), PosEmbedResize.Mode.BICUBIC, s -> { });
        Map<String, Tensor> timm = SafetensorsReader.read(NPZ.resolve("vit_timm.safetensors")).tensors();
        assertArrayEquals(ClipInflation.kernel(timm.get("patch_embed.proj.weight"), 2).toFloatArray(),
                fromNpz.patchEmbed.namedParameters().get("proj.weight").data().toFloatArray(), 0f);
        fromTimm.backboneParameters().forEach((k, v) -> assertArrayEquals(v.data().toFloatArray(),
                fromNpz.backboneParameters().get(k).data().toFloatArray(), 0f, k));
    }
}
