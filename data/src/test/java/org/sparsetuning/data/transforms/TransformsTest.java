package org.sparsetuning.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.Seeds;

class TransformsTest {
    /** Pixel (c, y, x) holds c·100 + y·10 + x, so a crop's values say where it came from. */
    static Image coded(int c, int h, int w) {
        float[] px = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    px[(ch * h + y) * w + x] = ch * 100 + y * 10 + x;
                }
            }
        }
        return new Image(px, c, h, w);
    }

    @Test
    void centerCropRoundsHalfToEvenLikePython() {
        // (7 − 4) / 2 = 1.5 -> 2; (8 − 3) / 2 = 2.5 -> 2; (6 − 3) / 2 = 1.5 -> 2; (5 − 4) / 2 = 0.5 -> 0.
        assertEquals(2, CenterCrop.offset(7, 4));
        assertEquals(2, CenterCrop.offset(8, 3));
        assertEquals(2, CenterCrop.offset(6, 3));
        assertEquals(0, CenterCrop.offset(5, 4));
        Image out = new CenterCrop(2, 3).apply(coded(2, 5, 8), null);
        // rows: (5 − 2) / 2 = 1.5 -> 2; columns: (8 − 3) / 2 = 2.5 -> 2
        assertArrayEquals(new float[] {22, 23, 24, 32, 33, 34, 122, 123, 124, 132, 133, 134}, out.pixels());
    }

    @Test
    void centerCropLargerThanTheImagePadsWithZeros() {
        // 2 rows into 5: torchvision pads (5 − 2) // 2 = 1 row above; 3 columns into 3: no padding.
        Image out = new CenterCrop(5, 3).apply(coded(1, 2, 3), null);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 10, 11, 12, 0, 0, 0, 0, 0, 0}, out.pixels());
    }

    @Test
    void flipMirrorsEveryRow() {
        Image out = RandomHorizontalFlip.flip(coded(2, 2, 3));
        assertArrayEquals(new float[] {2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110}, out.pixels());
        assertEquals(coded(2, 2, 3).pixels()[0], new RandomHorizontalFlip(0).apply(coded(2, 2, 3), new Generator(1)).pixels()[0]);
        assertEquals(2f, new RandomHorizontalFlip(1).apply(coded(2, 2, 3), new Generator(1)).pixels()[0]);
    }

    @Test
    void flipIsDrawnFromTheGeneratorAboutHalfTheTime() {
        RandomHorizontalFlip flip = new RandomHorizontalFlip();
        int flipped = 0;
        for (int i = 0; i < 2000; i++) {
            Image a = flip.apply(coded(1, 1, 2), Seeds.forExample(3, 0, i));
            Image b = flip.apply(coded(1, 1, 2), Seeds.forExample(3, 0, i));
            assertArrayEquals(a.pixels(), b.pixels(), "same stream, same decision");
            flipped += a.pixels()[0] == 1f ? 1 : 0;
        }
        assertTrue(flipped > 900 && flipped < 1100, "flipped " + flipped + " of 2000");
    }

    @Test
    void randomResizedCropFollowsTorchvisionsRules() {
        RandomResizedCrop rrc = new RandomResizedCrop(8, Interpolation.BILINEAR);
        Set<String> windows = new HashSet<>();
        int fallbacks = 0;
        for (int i = 0; i < 500; i++) {
            int[] w = rrc.window(60, 90, Seeds.forExample(7, 1, i));
            assertArrayEquals(w, rrc.window(60, 90, Seeds.forExample(7, 1, i)), "reproducible from the stream");
            windows.add(java.util.Arrays.toString(w));
            int top = w[0], left = w[1], h = w[2], wd = w[3];
            assertTrue(top >= 0 && left >= 0 && top + h <= 60 && left + wd <= 90, java.util.Arrays.toString(w));
            if (h == 60 && wd == 80) {
                fallbacks++; // central crop clamped to ratio 4/3 (the image is 3/2)
                continue;
            }
            double area = (double) h * wd / (60 * 90);
            // rounding h and w to integers moves area and ratio a little beyond the drawn ranges
            assertTrue(area > 0.06 && area <= 1.0, "area fraction " + area);
            double ratio = (double) wd / h;
            assertTrue(ratio > 0.7 && ratio < 1.45, "aspect " + ratio);
        }
        assertTrue(windows.size() > 450, "windows should vary: " + windows.size());
        assertTrue(fallbacks < 25, "fallbacks " + fallbacks);
    }

    @Test
    void randomResizedCropFallsBackToTheClampedCentre() {
        // A 1x40 strip: no window with aspect ratio in [3/4, 4/3] fits ten times -> the central ratio-clamped
        // window: h = 1, w = round(1 · 4/3) = 1, left = (40 − 1) / 2 = 19.
        RandomResizedCrop rrc = new RandomResizedCrop(4, 4, new double[] {0.5, 1.0}, RandomResizedCrop.DEFAULT_RATIO, Interpolation.BICUBIC);
        assertArrayEquals(new int[] {0, 19, 1, 1}, rrc.window(1, 40, new Generator(5)));
        // Tall and narrow: w = 2, h = round(2 / (3/4)) = 3, top = (40 − 3) / 2 = 18.
        assertArrayEquals(new int[] {18, 0, 3, 2}, rrc.window(40, 2, new Generator(5)));
    }

    @Test
    void randomResizedCropOutputIsTheResizedWindow() {
        RandomResizedCrop rrc = new RandomResizedCrop(6, 5, RandomResizedCrop.DEFAULT_SCALE, RandomResizedCrop.DEFAULT_RATIO,
                Interpolation.BICUBIC);
        Image coded = coded(3, 20, 30);
        float[] unit = coded.pixels().clone();
        for (int i = 0; i < unit.length; i++) {
            unit[i] /= 420f; // the largest code is 2·100 + 19·10 + 29 = 419
        }
        Image in = new Image(unit, 3, 20, 30);
        Image out = rrc.apply(in, Seeds.forExample(1, 2, 3));
        int[] w = rrc.window(20, 30, Seeds.forExample(1, 2, 3));
        Image expected = Resampler.resizeUnit(Crops.window(in, w[0], w[1], w[2], w[3]), 6, 5, Interpolation.BICUBIC);
        assertArrayEquals(expected.pixels(), out.pixels());
        assertEquals(3, out.channels());
        assertNotEquals(java.util.Arrays.toString(w), java.util.Arrays.toString(rrc.window(20, 30, Seeds.forExample(1, 2, 4))));
    }

    @Test
    void resizingClipsBicubicOvershootLikePil() {
        // A sharp edge: bicubic rings below 0 and above 1 (ResizeTest's fixture has −0.06 and 1.06).
        Image edge = new Image(new float[] {0, 0, 1, 1, 0, 0, 1, 1}, 1, 2, 4);
        Image raw = Resampler.resize(edge, 2, 9, Interpolation.BICUBIC);
        Image clipped = Resize.to(2, 9, Interpolation.BICUBIC).apply(edge, null);
        float min = 0, max = 1;
        for (int i = 0; i < raw.pixels().length; i++) {
            min = Math.min(min, raw.pixels()[i]);
            max = Math.max(max, raw.pixels()[i]);
            assertEquals(Math.min(1f, Math.max(0f, raw.pixels()[i])), clipped.pixels()[i]);
        }
        assertTrue(min < 0 && max > 1, "the edge overshoots: " + min + ", " + max);
    }

    @Test
    void resizingAfterNormalizeIsAnError() {
        TransformPipeline wrong = TransformPipeline.of(Normalize.HALF, Resize.to(3, 3, Interpolation.BILINEAR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> wrong.apply(new Sample(new float[4], 1, 2, 2, 0, "a.png"), null));
        assertTrue(e.getMessage().contains("a.png: Resize(3x3, bilinear) failed") && e.getMessage().contains("before Normalize"),
                e.getMessage());
    }

    @Test
    void grayToRgbCopiesTheChannel() {
        Image out = new GrayToRgb().apply(coded(1, 2, 2), null);
        assertArrayEquals(new float[] {0, 1, 10, 11, 0, 1, 10, 11, 0, 1, 10, 11}, out.pixels());
        Image rgb = coded(3, 2, 2);
        assertEquals(rgb, new GrayToRgb().apply(rgb, null));
        assertThrows(IllegalArgumentException.class, () -> new GrayToRgb().apply(coded(2, 2, 2), null));
    }

    @Test
    void normalizeUsesEachChannelsStatistics() {
        Image in = new Image(new float[] {0f, 1f, 0.5f, 0.25f, 1f, 0f}, 3, 1, 2);
        Image out = Normalize.IMAGENET.apply(in, null);
        float[] expected = {(float) ((0 - 0.485) / 0.229), (float) ((1 - 0.485) / 0.229), (float) ((0.5 - 0.456) / 0.224),
            (float) ((0.25 - 0.456) / 0.224), (float) ((1 - 0.406) / 0.225), (float) ((0 - 0.406) / 0.225)};
        assertArrayEquals(expected, out.pixels(), 1e-6f);
        assertArrayEquals(new float[] {-1f, 1f, 0f, -0.5f, 1f, -1f}, Normalize.HALF.apply(in, null).pixels(), 1e-7f);
        // one (mean, std) for all channels also fits grayscale
        assertArrayEquals(new float[] {-1f, 0f}, Normalize.HALF.apply(new Image(new float[] {0f, 0.5f}, 1, 1, 2), null).pixels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalize.IMAGENET.apply(new Image(new float[] {0f, 0.5f}, 1, 1, 2), null));
        assertTrue(e.getMessage().contains("GrayToRgb"), e.getMessage());
        assertEquals(Normalize.IMAGENET, Normalize.preset("imagenet"));
        assertThrows(IllegalArgumentException.class, () -> Normalize.preset("cifar"));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0.5}, new double[] {0}));
    }

    @Test
    void pipelineAppliesInOrderAndDescribesItself() {
        Sample s = new Sample(coded(1, 6, 8).pixels(), 1, 6, 8, 3, "test#0");
        TransformPipeline p = TransformPipeline.of(new GrayToRgb(), new CenterCrop(2), Normalize.HALF);
        Image out = p.apply(s, null);
        assertEquals(3, out.channels());
        // centre 2x2 of a 6x8 image: rows 2-3, columns 3-4; then (x − 0.5) / 0.5
        assertArrayEquals(new float[] {2 * 23 - 1, 2 * 24 - 1, 2 * 33 - 1, 2 * 34 - 1}, java.util.Arrays.copyOf(out.pixels(), 4));
        assertEquals("GrayToRgb -> CenterCrop(2x2) -> Normalize(half: mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5])", p.describe());
        assertFalse(p.isRandom());
        assertTrue(Pipelines.training(4, true, true, Interpolation.BICUBIC, Normalize.HALF).isRandom());
        assertEquals("Identity", TransformPipeline.identity().describe());
    }

    @Test
    void pipelineErrorsNameTheExample() {
        Sample s = new Sample(new float[8], 2, 2, 2, 0, "some/file.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformPipeline.of(new GrayToRgb()).apply(s, null));
        assertTrue(e.getMessage().startsWith("some/file.png: GrayToRgb failed"), e.getMessage());
    }

    @Test
    void evaluationPipelineIsTimmsResizeThenCrop() {
        TransformPipeline p = Pipelines.evaluation(224, 0.875, false, Interpolation.BICUBIC, Normalize.IMAGENET);
        assertEquals("Resize(shorter side 256, bicubic) -> CenterCrop(224x224) -> Normalize(imagenet: mean=[0.485, 0.456, 0.406], "
                + "std=[0.229, 0.224, 0.225])", p.describe());
        Image out = p.apply(new Sample(new float[3 * 300 * 400], 3, 300, 400, 0, "x"), null);
        assertEquals("3x224x224", out.sizeString());
        assertEquals("Resize(28x28, bilinear) -> Normalize(half: mean=[0.5, 0.5, 0.5], std=[0.5, 0.5, 0.5])",
                Pipelines.evaluation(28, 1.0, false, Interpolation.BILINEAR, Normalize.HALF).describe());
    }
}
