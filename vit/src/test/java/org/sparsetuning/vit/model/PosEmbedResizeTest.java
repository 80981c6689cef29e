package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;

/** The resize against PyTorch's F.interpolate (tools/fixtures/make_pos_embed_resize.py), growing and shrinking. */
class PosEmbedResizeTest {
    static Map<String, Tensor> golden;

    @BeforeAll
    static void read() throws Exception {
        golden = SafetensorsReader.read(Path.of("src/test/resources/posembed/resize.safetensors")).tensors();
    }

    @ParameterizedTest
    @CsvSource({"14, 16, bicubic", "14, 16, bicubic-antialias", "14, 10, bicubic", "14, 10, bicubic-antialias",
            "3, 8, bicubic", "3, 8, bicubic-antialias", "7, 3, bicubic", "7, 3, bicubic-antialias"})
    void matchesTorchInterpolate(int from, int to, String mode) {
        Tensor src = golden.get("src_g" + from);
        Tensor want = golden.get("g" + from + "_to_" + to + "." + (mode.equals("bicubic") ? "bicubic" : "antialias"));
        Tensor got = PosEmbedResize.resize(src, to, PosEmbedResize.Mode.parse(mode));
        assertArrayEquals(want.shape(), got.shape());
        float[] a = got.toFloatArray();
        float[] b = want.toFloatArray();
        float[] s = src.toFloatArray();
        int dim = src.size(2);
        for (int c = 0; c < dim; c++) {
            assertEquals(s[c], a[c], 0.0, "the class-token row is copied unchanged");
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst <= 1e-5, from + " -> " + to + " " + mode + ": max abs error " + worst);
    }

    @Test
    void theTwoVariantsDifferEvenWhenGrowing() {
        // Guards against a fixture that would pass with either formula: a = −0.75 clamped vs a = −0.5 renormalised.
        Tensor src = golden.get("src_g14");
        float[] a = PosEmbedResize.resize(src, 16, PosEmbedResize.Mode.BICUBIC).toFloatArray();
        float[] b = PosEmbedResize.resize(src, 16, PosEmbedResize.Mode.BICUBIC_ANTIALIAS).toFloatArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff > 1e-2, "variants differ by only " + diff);
    }

    @Test
    void weightsArePartitionsOfUnity() {
        for (PosEmbedResize.Mode m : PosEmbedResize.Mode.values()) {
            for (int[] io : new int[][] {{14, 16}, {14, 10}, {2, 9}, {9, 2}, {5, 5}, {1, 4}}) {
                double[][] w = PosEmbedResize.weights(io[0], io[1], m);
                for (double[] row : w) {
                    double sum = 0;
                    for (double v : row) {
                        sum += v;
                    }
                    assertEquals(1.0, sum, 1e-12, m + " " + io[0] + "->" + io[1]);
                }
            }
        }
    }

    @Test
    void sameGridIsReturnedAsIs() {
        Tensor src = golden.get("src_g7");
        assertSame(src, PosEmbedResize.resize(src, 7, PosEmbedResize.Mode.BICUBIC));
    }

    @Test
    void malformedEmbeddingsAreRefusedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PosEmbedResize.resize(Tensor.zeros(1, 11, 4), 4, PosEmbedResize.Mode.BICUBIC));
        assertTrue(e.getMessage().contains("11 tokens") && e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PosEmbedResize.resize(Tensor.zeros(17, 4), 4, PosEmbedResize.Mode.BICUBIC));
        assertTrue(e.getMessage().contains("[1, 1 + g², D]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PosEmbedResize.Mode.parse("bilinear"));
        assertTrue(e.getMessage().contains("bilinear"), e.getMessage());
    }
}
