package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.autograd.check.GradCheck;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.sparsify.Fusion;

/** The tubelet embedding (SPEC H) against a direct 3-D convolution, and the clip model's input contract. */
class TubeletEmbedTest {
    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    /** out[b, (s·gh + i)·gw + j, d] = bias[d] + Σ w[d, c, f, y, x]·clip[b, c, s·t + f, i·P + y, j·P + x]. */
    static double[] directConv3d(Tensor clip, Tensor w, Tensor bias, int t, int p) {
        int[] s = clip.shape();
        int d = w.size(0);
        int steps = s[2] / t;
        int gh = s[3] / p;
        int gw = s[4] / p;
        double[] out = new double[s[0] * steps * gh * gw * d];
        double[] cv = clip.toDoubleArray();     // logical (row-major) order, whatever the strides
        double[] wv = w.toDoubleArray();
        double[] bv = bias.toDoubleArray();
        int kc = w.size(1);
        int n = 0;
        for (int b = 0; b < s[0]; b++) {
            for (int st = 0; st < steps; st++) {
                for (int i = 0; i < gh; i++) {
                    for (int j = 0; j < gw; j++) {
                        for (int o = 0; o < d; o++) {
                            double acc = bv[o];
                            for (int c = 0; c < s[1]; c++) {
                                for (int f = 0; f < t; f++) {
                                    for (int y = 0; y < p; y++) {
                                        for (int x = 0; x < p; x++) {
                                            int wi = (((o * kc + c) * t + f) * p + y) * p + x;
                                            int ci = (((b * s[1] + c) * s[2] + st * t + f) * s[3] + i * p + y) * s[4]
                                                    + j * p + x;
                                            acc += wv[wi] * cv[ci];
                                        }
                                    }
                                }
                            }
                            out[n++] = acc;
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void tubeletEmbeddingIsTheStridedThreeDConvolutionInTimeRowColumnOrder() {
        // Odd sizes everywhere (C 3, t 3, P 3, D 5, a 6 x 9 frame) and a non-contiguous clip: a permuted view.
        int t = 3;
        int p = 3;
        PatchEmbed embed = new PatchEmbed(p, t, 3, 5, new Generator(3));
        Tensor stored = randn(4, 2, 6, 3, 6, 9);                       // [B, T, C, H, W] in memory
        Tensor clip = stored.permute(0, 2, 1, 3, 4);                   // viewed as [B, C, T, H, W]
        assertTrue(!clip.isContiguous());
        Tensor w = embed.namedParameters().get("proj.weight").data();
        Tensor bias = embed.namedParameters().get("proj.bias").data();
        assertArrayEquals(new int[] {5, 3, 3, 3, 3}, w.shape());
        Variable got = embed.forward(clip);
        assertArrayEquals(new int[] {2, 2 * 2 * 3, 5}, got.data().shape());
        double[] want = directConv3d(clip, w, bias, t, p);
        double[] have = got.data().toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], have[i], 1e-4 * (1 + Math.abs(want[i])), "element " + i);
        }
    }

    @Test
    void tubeletEmbeddingGradientInDouble() {
        // The gather is constant; the gradient flows into the 5-D weight and the bias through the reshape.
        Tensor clip = randn(5, 1, 2, 4, 4, 6).to(DType.F64);
        Tensor tubelets = PatchEmbed.unfoldTubelets(clip, 2, 2);
        GradCheck.assertPasses(v -> F.linear(Variable.constant(tubelets), v[0].reshape(3, 2 * 2 * 2 * 2), v[1]),
                randn(6, 3, 2, 2, 2, 2).to(DType.F64), randn(7, 3).to(DType.F64));
    }

    static VitConfig tinyClip(int frames, int tubelet) {
        return new VitConfig(16, 4, 3, 8, 4, 2, 2.0, 3, 4, 1.0, 0.5, List.of(2, 3), VitConfig.SPARSE_TUNING,
                Fusion.SUM, "paper", List.of(1, 3), "linear").withClip(frames, tubelet);
    }

    @Test
    void clipModelTokensAndKeptIndicesCoverEveryTimeStep() {
        VitConfig cfg = tinyClip(6, 2);
        assertEquals(3 * 16, cfg.numPatches());
        VisionTransformer m = new VisionTransformer(cfg, new Generator(1)).freezeBackbone();
        assertArrayEquals(new int[] {1, 1 + 48, 8}, m.posEmbed.data().shape());
        assertArrayEquals(new int[] {8, 3, 2, 4, 4}, m.patchEmbed.namedParameters().get("proj.weight").data().shape());
        m.forward(randn(2, 2, 3, 6, 16, 16));
        int[][] kept = m.lastTokens().keptByLayer().get(2);
        assertEquals(24, kept[0].length);                                 // ceil(0.5 * 48)
        for (int[] row : kept) {
            for (int k : row) {
                assertTrue(k >= 0 && k < 48, "index " + k + " is a (time, row, column) token of the clip");
            }
        }
    }

    @Test
    void aClipModelRefusesAnImageBatchInOneLine() {
        VisionTransformer m = new VisionTransformer(tinyClip(4, 2), new Generator(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(randn(1, 2, 3, 16, 16)));
        assertEquals("model input: expected clips [B, 3, 4, 16, 16] (num_frames 4), got [2, 3, 16, 16]; this is a video "
                + "model, an image batch needs num_frames 0", e.getMessage());
        VisionTransformer image = new VisionTransformer(tinyClip(0, 2), new Generator(1));
        assertThrows(IllegalArgumentException.class, () -> image.forward(randn(1, 2, 3, 4, 16, 16)));
    }

    @Test
    void configKeysAndTheirChecks() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        VitConfig c = VitConfig.parse(json.readTree("{\"num_frames\": 8}"));
        assertEquals(8, c.numFrames());
        assertEquals(2, c.tubeletSize());
        assertEquals(4 * 196, c.numPatches());                            // ViT-B/16, 8 frames: 784 tokens + CLS
        VitConfig image = VitConfig.parse(json.readTree("{}"));
        assertEquals(0, image.numFrames());
        assertEquals(196, image.numPatches());
        assertEquals(3, VitConfig.parse(json.readTree("{\"num_frames\": 3, \"tubelet_size\": 1}")).numPatches() / 196);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VitConfig.parse(json.readTree("{\"num_frames\": 7, \"tubelet_size\": 2}")));
        assertEquals("num_frames 7 must be a multiple of tubelet_size 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree("{\"tubelet_size\": 0}")));
        assertThrows(IllegalArgumentException.class, () -> VitConfig.parse(json.readTree("{\"num_frames\": -1}")));
        VitConfig back = VitConfig.base(10).withClip(8, 2).withKeepRate(0.5).withMethod(VitConfig.LORA);
        assertEquals(8, back.numFrames());
        assertEquals(2, back.tubeletSize());
    }
}
