package org.sparsetuning.data.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.BadFileException;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Batch;
import org.sparsetuning.data.loader.DataLoader;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.SkippedExample;
import org.sparsetuning.data.transforms.Interpolation;
import org.sparsetuning.data.transforms.RandomHorizontalFlip;
import org.sparsetuning.data.transforms.RandomResizedCrop;
import org.sparsetuning.data.transforms.SpatialCrop;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

class ClipLoadingTest {
    @TempDir
    Path root;

    @Test
    @SuppressWarnings("try")
    void batchesAreFiveDimensionalClips() throws IOException {
        VideoFixtures.classFolders(root, 2, 6);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        TransformPipeline p = TransformPipeline.identity().withFrames(FrameSampling.centres(3));
        try (DataLoader loader = DataLoader.builder(d, p).batchSize(3).shuffle(false).workers(1).build();
             TensorScope scope = TensorScope.open()) {
            List<Batch> batches = new java.util.ArrayList<>();
            loader.epoch(0).forEach(batches::add);
            assertEquals(2, batches.size());
            Tensor x = batches.get(0).images();
            assertArrayEquals(new int[] {3, 1, 3, 8, 8}, x.shape());
            float[] v = x.contiguous().toFloatArray();
            // Example 1 (video 1), frame 2 of the clip is frame 5 of the video; pixel (3, 3) away from the bar.
            int at = ((1 * 3 + 2) * 8 + 3) * 8 + 3;
            assertEquals(VideoFixtures.level(1, 5), Math.round(v[at] * 255));
            assertArrayEquals(new int[] {1}, batches.get(1).labels().toIntArray());
        }
    }

    @Test
    @SuppressWarnings("try")
    void everyFrameOfAClipGetsTheSameCropAndFlip() throws IOException {
        Path v = root.resolve("a/v");
        for (int f = 1; f <= 4; f++) {
            VideoFixtures.frame(v.resolve(String.format("img_%05d.png", f)), 90, 2);
        }
        VideoFixtures.movingBar(root.resolve("a/w"), 4);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        TransformPipeline p = TransformPipeline.of(new RandomResizedCrop(6, Interpolation.BILINEAR),
                new RandomHorizontalFlip()).withFrames(FrameSampling.training(4));
        assertTrue(p.isRandom());
        java.util.Set<String> clipsSeen = new java.util.HashSet<>();
        try (DataLoader loader = DataLoader.builder(d, p).batchSize(2).shuffle(false).seed(3).workers(0).build()) {
            for (int epoch = 0; epoch < 6; epoch++) {
                try (TensorScope scope = TensorScope.open()) {
                    Batch b = loader.epoch(epoch).next();
                    float[] px = b.images().contiguous().toFloatArray();
                    int plane = 36;
                    float[] first = Arrays.copyOfRange(px, 0, plane);
                    for (int t = 1; t < 4; t++) {
                        assertArrayEquals(first, Arrays.copyOfRange(px, t * plane, (t + 1) * plane), 0f,
                                "identical frames stay identical: one crop and flip for the clip (epoch " + epoch + ")");
                    }
                    clipsSeen.add(Arrays.toString(first));
                }
            }
        }
        assertTrue(clipsSeen.size() > 1, "the crop changes between epochs");
    }

    @Test
    void aClipOfBadFramesIsSkippedOrStopsByTheUsualPolicy() throws IOException {
        VideoFixtures.classFolders(root, 2, 4);
        Path bad = root.resolve("b/v03");
        Files.write(bad.resolve("img_00002.png"), new byte[0]);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        TransformPipeline p = TransformPipeline.identity().withFrames(FrameSampling.centres(4));
        try (DataLoader loader = DataLoader.builder(d, p).batchSize(4).shuffle(false).workers(0)
                .onBadFile(BadFilePolicy.SKIP).build()) {
            Batch b = loader.epoch(0).next();
            assertArrayEquals(new int[] {0, 1, 2}, b.indices());
            List<SkippedExample> skipped = loader.skipped();
            assertEquals(1, skipped.size());
            assertEquals(bad + ": frame img_00002.png is empty (0 bytes)", skipped.get(0).reason());
        }
        try (DataLoader loader = DataLoader.builder(d, p).batchSize(4).shuffle(false).workers(0).build()) {
            BadFileException e = assertThrows(BadFileException.class, () -> loader.epoch(0).next());
            assertEquals(bad + ": frame img_00002.png is empty (0 bytes) (example 3)", e.getMessage());
        }
    }

    @Test
    void imagesAndClipsDoNotMixWithTheWrongPipeline() throws IOException {
        VideoFixtures.classFolders(root, 1, 2);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        try (DataLoader loader = DataLoader.builder(d, TransformPipeline.identity()).batchSize(2).workers(0).build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.epoch(0).next());
            assertTrue(e.getMessage().contains("holds videos: a clip needs a frame sampling"), e.getMessage());
        }
    }

    @Test
    void spatialCropsSpreadAlongTheLongerSide() {
        float[] px = new float[4 * 10];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % 10;
        }
        org.sparsetuning.data.transforms.Image wide = new org.sparsetuning.data.transforms.Image(px, 1, 4, 10);
        float[] left = new SpatialCrop(4, 0, 3).apply(wide, null).pixels();
        float[] mid = new SpatialCrop(4, 1, 3).apply(wide, null).pixels();
        float[] right = new SpatialCrop(4, 2, 3).apply(wide, null).pixels();
        assertArrayEquals(new float[] {0, 1, 2, 3}, Arrays.copyOf(left, 4));
        assertArrayEquals(new float[] {3, 4, 5, 6}, Arrays.copyOf(mid, 4));
        assertArrayEquals(new float[] {6, 7, 8, 9}, Arrays.copyOf(right, 4));
        assertArrayEquals(new float[] {3, 4, 5, 6}, Arrays.copyOf(new SpatialCrop(4, 0, 1).apply(wide, null).pixels(), 4));
        // Portrait: along the height.
        float[] rows = new float[10 * 4];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / 4;
        }
        org.sparsetuning.data.transforms.Image tall = new org.sparsetuning.data.transforms.Image(rows, 1, 10, 4);
        org.sparsetuning.data.transforms.Image bottom = new SpatialCrop(4, 2, 3).apply(tall, null);
        assertEquals(4, bottom.height());
        assertEquals(6f, bottom.at(0, 0, 0));
        assertEquals(9f, bottom.at(0, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new SpatialCrop(4, 3, 3));
    }
}
