package org.sparsetuning.app.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.sparsify.KeepCount;
import org.sparsetuning.train.EpochMetrics;
import org.sparsetuning.train.TinySetup;

class VizTest {
    @TempDir
    Path tmp;

    /** Centre pixel of patch (row, col) of a 2×2 grid in panel {@code panel} of a token picture. */
    private static int pixel(BufferedImage img, int panel, int row, int col) {
        int x = 12 + panel * (196 + 12) + col * 98 + 49;
        int y = 22 + 12 + row * 98 + 49;
        return img.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void keptPatchesKeepTheirPixelsAndTheOthersAreGreyed() {
        // A 4×4 image in 2×2 patches: red channel ramps, so every patch has its own colour.
        float[] px = new float[3 * 16];
        for (int i = 0; i < 16; i++) {
            px[i] = i / 15f;
            px[16 + i] = 0.2f;
            px[32 + i] = 0.9f;
        }
        Map<Integer, int[]> kept = new LinkedHashMap<>();
        kept.put(4, new int[] {0, 2, 3});
        kept.put(7, new int[] {-1, 3});
        BufferedImage img = TokenPicture.draw(px, 3, 4, 2, kept, "caption");
        assertEquals(3 * 196 + 4 * 12, img.getWidth());
        for (int p : new int[] {0, 2, 3}) {
            assertEquals(pixel(img, 0, p / 2, p % 2), pixel(img, 1, p / 2, p % 2), "layer 4 kept patch " + p);
        }
        assertNotEquals(pixel(img, 0, 0, 1), pixel(img, 1, 0, 1), "patch 1 was fused at layer 4");
        int greyed = pixel(img, 2, 0, 0);
        assertEquals(greyed >> 16, (greyed >> 8) & 255, "a fused patch is grey");
        assertEquals(greyed >> 16, greyed & 255);
        assertEquals(pixel(img, 0, 1, 1), pixel(img, 2, 1, 1), "patch 3 is kept at layer 7");
        assertThrows(IllegalArgumentException.class, () -> TokenPicture.draw(px, 3, 4, 2, Map.of(4, new int[] {4}), ""));
    }

    @Test
    void visualizerDrawsOnePictureWithEachLayersKeptTokens() throws Exception {
        VitConfig cfg = TinySetup.config(VitConfig.SPARSE_TUNING);
        VisionTransformer model = TinySetup.model(cfg);
        Tensor images = Tensor.of(new Generator(3).uniform(2 * 64, -1, 1), 2, 1, 8, 8);
        List<Visualizer.Drawn> drawn = Visualizer.draw(model, images, new double[] {0.5}, new double[] {0.5},
                List.of("first", "dir/second"), List.of("a", "b", "c"), tmp);
        assertEquals(2, drawn.size());
        assertEquals(tmp.resolve("dir_second.png"), drawn.get(1).file());
        for (Visualizer.Drawn d : drawn) {
            BufferedImage img = ImageIO.read(d.file().toFile());
            assertEquals(2 * 196 + 3 * 12, img.getWidth(), "input + one layer");
            assertEquals(List.of(2), List.copyOf(d.kept().keySet()));
            assertEquals(KeepCount.of(cfg.keepRate(), 4), d.kept().get(2).length);
            assertTrue(d.probability() > 0 && d.probability() <= 1);
        }
        VisionTransformer dense = TinySetup.model(cfg.withMethod(VitConfig.LORA).withTsLayers(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Visualizer.draw(dense, images,
                new double[] {0.5}, new double[] {0.5}, List.of("a", "b"), List.of(), tmp));
        assertTrue(e.getMessage().contains("nothing to visualise"), e.getMessage());
    }

    @Test
    void chartsAreWrittenAsPngAndRefuseEmptyData() throws Exception {
        List<EpochMetrics> h = List.of(new EpochMetrics(1, 10, 1.2, 0.5, 0.6, 0.9, 1.0, 1e-3, 100, 300),
                new EpochMetrics(2, 20, 0.8, 0.7, 0.72, 0.95, 0.8, 5e-4, 100, 300));
        Charts.trainingCurves("lora", h, tmp.resolve("curves.png"));
        Charts.methodCurves(Map.of("lora", h), tmp.resolve("methods.png"));
        Charts.accuracyVsGflops("test", List.of(new Charts.MethodPoint("lora", 0.05, 0.72),
                new Charts.MethodPoint("sparse-tuning", 0.03, 0.70)), tmp.resolve("gflops.png"));
        assertEquals(2 * 640, ImageIO.read(tmp.resolve("curves.png").toFile()).getWidth());
        assertEquals(2 * 640, ImageIO.read(tmp.resolve("methods.png").toFile()).getWidth());
        assertEquals(640, ImageIO.read(tmp.resolve("gflops.png").toFile()).getWidth());
        assertThrows(IllegalArgumentException.class, () -> Charts.trainingCurves("x", List.of(), tmp.resolve("x.png")));
    }
}
