package org.sparsetuning.data.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.LogCapture;
import org.sparsetuning.data.Sample;

class FrameFolderDatasetTest {
    @TempDir
    Path root;

    private static final float EPS = 1e-6f;

    /** The grey level of frame t of a clip, from its first pixel away from the bar (column 3). */
    private static int levelOf(Sample s, int t) {
        float v = s.pixels()[(t * s.height() + 3) * s.width() + 3];
        return Math.round(v * 255);
    }

    @Test
    void classFoldersGiveClipsOfTheSampledFrames() throws IOException {
        VideoFixtures.classFolders(root, 2, 6);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        assertEquals(List.of("a", "b"), d.classNames());
        assertEquals(4, d.size());
        assertEquals(List.of(0, 0, 1, 1), List.of(d.label(0), d.label(1), d.label(2), d.label(3)));
        Sample s = d.get(2, FrameSampling.centres(3), null);
        assertEquals(1, s.channels());
        assertEquals(3, s.frames());
        assertEquals(8, s.height());
        assertEquals(1, s.label());
        // 6 frames in 3 segments: centres 1, 3, 5.
        for (int t = 0; t < 3; t++) {
            assertEquals(VideoFixtures.level(2, 2 * t + 1), levelOf(s, t));
        }
        assertTrue(s.origin().endsWith("v02"), s.origin());
        assertEquals(VideoFixtures.level(2, 3), levelOf(d.get(2), 0), "get(index): the middle frame");
    }

    @Test
    void framesAreOrderedByTheNumberInTheirNames() throws IOException {
        Path v = root.resolve("c/v");
        for (int n : new int[] {10, 2, 1, 9, 3, 4, 5, 6, 7, 8}) {
            VideoFixtures.frame(v.resolve("frame_" + n + ".png"), 10 * n, -1);
        }
        Files.writeString(v.resolve("notes.txt"), "ignored");
        VideoFixtures.frame(v.resolve(".hidden_99.png"), 0, -1);
        List<VideoFrames.Frame> frames = VideoFrames.list(v, v.toString());
        List<String> names = frames.stream().map(VideoFrames.Frame::name).toList();
        assertEquals(List.of("frame_1.png", "frame_2.png", "frame_3.png", "frame_4.png", "frame_5.png", "frame_6.png",
                "frame_7.png", "frame_8.png", "frame_9.png", "frame_10.png"), names);
        Sample s = FrameFolderDataset.classFolders(root, null).get(0, FrameSampling.centres(10), null);
        for (int t = 0; t < 10; t++) {
            assertEquals(10 * (t + 1), levelOf(s, t));
        }
    }

    @Test
    void listFilesNameVideoFrameCountAndLabel() throws IOException {
        VideoFixtures.video(root.resolve("vids/first one"), 0, 4, -1);
        VideoFixtures.video(root.resolve("vids/second"), 1, 8, -1);
        Path list = Files.writeString(root.resolve("train.txt"), "vids/first one 4 1\n\nvids/second 8 0\n");
        FrameFolderDataset d = FrameFolderDataset.listFile(root, list, null);
        assertEquals(2, d.size());
        assertEquals(List.of("0", "1"), d.classNames());
        assertEquals(1, d.label(0));
        assertEquals(root.resolve("vids/first one"), d.video(0));
        Sample s = d.get(1, FrameSampling.centres(2), null);
        assertEquals(VideoFixtures.level(1, 2), levelOf(s, 0));
        assertEquals(VideoFixtures.level(1, 6), levelOf(s, 1));

        Files.writeString(list, "vids/second 8 0\nvids/third 7\n");
        IOException bad = assertThrows(IOException.class, () -> FrameFolderDataset.listFile(root, list, null));
        assertEquals(list + ":2: expected 'relative/video/path num_frames label' (num_frames a positive integer, label an "
                + "integer from 0 to 99999), got 'vids/third 7'", bad.getMessage());
        Files.writeString(list, "vids/second 8 3\n");
        bad = assertThrows(IOException.class, () -> FrameFolderDataset.listFile(root, list, List.of("x", "y")));
        assertEquals(list + ":1: label 3, but there are only 2 classes", bad.getMessage());
    }

    /** Without class names the labels imply "0"…"max": label 2000000000 asked for that many names (OutOfMemoryError). */
    @Test
    void aHugeLabelIsRefusedBeforeNamingTheClasses() throws IOException {
        VideoFixtures.video(root.resolve("vids/one"), 0, 4, -1);
        Path list = Files.writeString(root.resolve("train.txt"), "vids/one 4 0\nvids/one 4 2000000000\n");
        IOException bad = assertThrows(IOException.class, () -> FrameFolderDataset.listFile(root, list, null));
        assertEquals(list + ":2: expected 'relative/video/path num_frames label' (num_frames a positive integer, label an "
                + "integer from 0 to 99999), got 'vids/one 4 2000000000'", bad.getMessage());
    }

    @Test
    void aListedVideoWithFewerFramesThanListedNamesTheMissingFrame() throws IOException {
        VideoFixtures.video(root.resolve("v"), 0, 3, -1);
        Path list = Files.writeString(root.resolve("l.txt"), "v 5 0\nnowhere 5 0\n");
        FrameFolderDataset d = FrameFolderDataset.listFile(root, list, null);
        IOException e = assertThrows(IOException.class, () -> d.get(0, FrameSampling.centres(2), null));
        assertEquals(root.resolve("v") + " (listed at " + list + ":1): frame img_00004.png is missing (the list says 5 "
                + "frames, the folder has 3)", e.getMessage());
        e = assertThrows(IOException.class, () -> d.get(1, FrameSampling.centres(2), null));
        assertEquals(root.resolve("nowhere") + " (listed at " + list + ":2): video folder not found (expected a folder of "
                + "numbered frames)", e.getMessage());
    }

    @Test
    void badFramesAreNamedWithTheirVideo() throws IOException {
        Path v = VideoFixtures.video(root.resolve("a/v"), 0, 6, -1);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        FrameSampling all = FrameSampling.centres(6);

        Files.delete(v.resolve("img_00004.png"));
        IOException e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertEquals(v + ": frame img_00004.png is missing (between img_00003.png and img_00005.png)", e.getMessage());

        VideoFixtures.frame(v.resolve("img_00004.png"), 0, -1);
        Files.write(v.resolve("img_00002.png"), new byte[0]);
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertEquals(v + ": frame img_00002.png is empty (0 bytes)", e.getMessage());

        Files.writeString(v.resolve("img_00002.png"), "not a png at all");
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertTrue(e.getMessage().startsWith(v + ": frame img_00002.png: cannot decode image"), e.getMessage());

        VideoFixtures.frame(v.resolve("img_00002.png"), 0, -1);
        VideoFixtures.frame(v.resolve("cover.png"), 0, -1);
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertEquals(v + ": frame cover.png has no number in its name (frames are ordered by the number in their names, "
                + "e.g. img_00001.jpg)", e.getMessage());
        Files.delete(v.resolve("cover.png"));

        VideoFixtures.frame(v.resolve("img_2.png"), 0, -1);
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertEquals(v + ": frames img_00002.png and img_2.png have the same number 2", e.getMessage());
        Files.delete(v.resolve("img_2.png"));

        Files.writeString(v.resolve("clip.mp4"), "x");
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertTrue(e.getMessage().startsWith(v + ": clip.mp4 is a video file"), e.getMessage());
        Files.delete(v.resolve("clip.mp4"));

        for (int f = 1; f <= 6; f++) {
            Files.delete(v.resolve(String.format("img_%05d.png", f)));
        }
        e = assertThrows(IOException.class, () -> d.get(0, all, null));
        assertEquals(v + ": no frames (expected image files bmp, jpeg, jpg, png numbered in their names)", e.getMessage());
    }

    @Test
    void layoutProblemsAreReportedWhenOpening() throws IOException {
        IOException e = assertThrows(IOException.class, () -> FrameFolderDataset.classFolders(root.resolve("none"), null));
        assertTrue(e.getMessage().startsWith(root.resolve("none") + ": not a folder"), e.getMessage());
        VideoFixtures.frame(root.resolve("a/img_00001.png"), 0, -1);
        e = assertThrows(IOException.class, () -> FrameFolderDataset.classFolders(root, null));
        assertEquals(root.resolve("a") + ": no video folders for class 'a' (it holds image files: one folder of frames "
                + "per video is expected; for images use an ImageFolder)", e.getMessage());
    }

    @Test
    void aShortVideoRepeatsFramesAndSaysSoOncePerRun() throws IOException {
        VideoFixtures.video(root.resolve("a/v0"), 0, 2, -1);
        VideoFixtures.video(root.resolve("a/v1"), 1, 3, -1);
        FrameFolderDataset d = FrameFolderDataset.classFolders(root, null);
        FrameFolderDataset.forgetShortVideoMessage();
        List<String> said;
        try (LogCapture log = new LogCapture(FrameFolderDataset.class)) {
            Sample s = d.get(0, FrameSampling.centres(4), null);
            int[] levels = new int[4];
            for (int t = 0; t < 4; t++) {
                levels[t] = levelOf(s, t);
            }
            assertArrayEquals(new int[] {VideoFixtures.level(0, 0), VideoFixtures.level(0, 0), VideoFixtures.level(0, 1),
                    VideoFixtures.level(0, 1)}, levels);
            d.get(1, FrameSampling.centres(4), null);
            d.get(0, FrameSampling.centres(4), null);
            said = log.messages();
        }
        assertEquals(List.of(root.resolve("a/v0") + " has 2 frames, fewer than the 4 of a clip: frames are repeated "
                + "(said once per run; other short videos are treated alike)"), said);
    }

    @Test
    void framesOfDifferentSizesAreRefusedByName() throws IOException {
        Path v = VideoFixtures.video(root.resolve("a/v"), 0, 2, -1);
        java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(9, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(big, "png", v.resolve("img_00002.png").toFile());
        IOException e = assertThrows(IOException.class,
                () -> FrameFolderDataset.classFolders(root, null).get(0, FrameSampling.centres(2), null));
        assertEquals(v + ": frame img_00002.png is 1x8x9 but frame img_00001.png is 1x8x8 (every frame of a video must "
                + "have one size)", e.getMessage());
    }

    @Test
    void frameIsACopyOutOfTheClipLayout() {
        float[] px = new float[2 * 3 * 1 * 2];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        Sample clip = new Sample(px, 2, 3, 1, 2, 0, "c");
        Sample f1 = clip.frame(1);
        assertArrayEquals(new float[] {2, 3, 8, 9}, f1.pixels(), EPS);
        assertEquals(0, f1.frames());
    }
}
