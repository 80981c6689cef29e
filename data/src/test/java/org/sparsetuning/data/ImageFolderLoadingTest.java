package org.sparsetuning.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.loader.DataLoader;
import org.sparsetuning.data.readers.ImageFolderDataset;
import org.sparsetuning.data.readers.TestImages;
import org.sparsetuning.data.transforms.GrayToRgb;
import org.sparsetuning.data.transforms.Interpolation;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.data.transforms.Pipelines;
import org.sparsetuning.data.transforms.Resize;
import org.sparsetuning.data.transforms.TransformPipeline;

/** The loader over a real ImageFolder: PNG and JPEG, gray and colour, different sizes, one corrupt JPEG. */
class ImageFolderLoadingTest {
    @TempDir
    Path root;
    Path corrupt;

    @BeforeEach
    void build() throws IOException {
        TestImages.write(TestImages.rgb(10, 7, 0, 0, 0), "png", root.resolve("ant/1.png"));
        TestImages.write(TestImages.gray(5, 9, 3), "png", root.resolve("ant/2.png"));
        TestImages.write(TestImages.noise(12, 12, 4), "jpg", root.resolve("ant/3.jpg"));
        TestImages.write(TestImages.flat(8, 8, 10, 200, 30), "jpg", root.resolve("bee/1.jpg"));
        corrupt = Files.write(root.resolve("bee/2.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        TestImages.write(TestImages.palette(6, 6, false), "png", root.resolve("bee/3.png"));
    }

    static final TransformPipeline PIPE = TransformPipeline.of(new GrayToRgb(), Resize.to(8, 8, Interpolation.BICUBIC), Normalize.IMAGENET);

    @Test
    void stopNamesTheCorruptJpeg() throws IOException {
        ImageFolderDataset d = new ImageFolderDataset(root);
        try (DataLoader l = DataLoader.builder(d, PIPE).batchSize(2).workers(2).build()) {
            BadFileException e = assertThrows(BadFileException.class, () -> {
                for (Batch b : l.epoch(0)) {
                    assertEquals(3, b.images().shape()[1]);
                }
            });
            assertTrue(e.getMessage().startsWith(corrupt + ": cannot decode image"), e.getMessage());
            assertEquals(4, e.index());
        }
    }

    @Test
    void skipCountsTheCorruptJpegAndLoadsTheRest() throws IOException {
        ImageFolderDataset d = new ImageFolderDataset(root);
        try (DataLoader l = DataLoader.builder(d, PIPE).batchSize(4).workers(2).onBadFile(BadFilePolicy.SKIP).build()) {
            List<Integer> seen = new ArrayList<>();
            int examples = 0;
            for (Batch b : l.epoch(0)) {
                assertArrayEquals(new int[] {b.size(), 3, 8, 8}, b.images().shape());
                int[] labels = b.labels().toIntArray();
                for (int i = 0; i < b.size(); i++) {
                    seen.add(b.indices()[i]);
                    assertEquals(d.label(b.indices()[i]), labels[i]);
                }
                examples += b.size();
            }
            assertEquals(5, examples);
            assertTrue(!seen.contains(4));
            assertEquals(1, l.skippedCount());
            assertTrue(l.skipped().get(0).reason().startsWith(corrupt.toString()), l.skipped().get(0).reason());
        }
    }

    @Test
    void trainingPipelineRunsOverMixedFiles() throws IOException {
        ImageFolderDataset d = new ImageFolderDataset(root);
        TransformPipeline train = Pipelines.training(6, true, true, Interpolation.BICUBIC, Normalize.HALF);
        try (DataLoader l = DataLoader.builder(d, train).batchSize(3).workers(1).onBadFile(BadFilePolicy.SKIP).build()) {
            int n = 0;
            for (Batch b : l.epoch(0)) {
                assertArrayEquals(new int[] {b.size(), 3, 6, 6}, b.images().shape());
                for (float v : b.images().toFloatArray()) {
                    assertTrue(v >= -1.2f && v <= 1.2f, "normalised to about [-1, 1]: " + v);
                }
                n += b.size();
            }
            assertEquals(5, n);
        }
    }
}
