package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures.Run;
import org.sparsetuning.data.video.VideoFixtures;

/** train, eval (multi-view), predict, visualize and compare on frame-folder videos made here (8×8 grey frames). */
class VideoCommandsTest {
    @TempDir
    static Path dir;
    static Path config;
    static Path data;
    static Run trained;

    /** A clip model: 8 px grey frames, patch 4, 4 frames in tubelets of 2 (2 × 4 tokens), TS at layers 2 and 3. */
    static Path clipConfig(Path folder) throws Exception {
        Path f = folder.resolve("clip.json");
        Files.writeString(f, "{\"img_size\": 8, \"patch_size\": 4, \"in_chans\": 1, \"embed_dim\": 16, \"depth\": 4, "
                + "\"num_heads\": 2, \"mlp_ratio\": 2.0, \"num_classes\": 2, \"adapter_dim\": 4, \"keep_rate\": 0.5, "
                + "\"ts_layers\": [2, 3], \"method\": \"sparse-tuning\", \"num_frames\": 4, \"tubelet_size\": 2}");
        return f;
    }

    @BeforeAll
    static void trainOnFrameFolders() throws Exception {
        config = clipConfig(dir);
        data = dir.resolve("videos");
        VideoFixtures.classFolders(data.resolve("train"), 4, 6);
        VideoFixtures.classFolders(data.resolve("val"), 2, 5);
        trained = AppFixtures.run("train", "--config", config.toString(), "--data", "frames:" + data, "--out",
                dir.resolve("run").toString(), "--epochs", "2", "--batch-size", "4", "--lr", "1e-2", "--threads", "1",
                "--workers", "1");
    }

    @Test
    void trainsOnClips() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        assertTrue(trained.out().contains("training sparse-tuning"), trained.out());
        assertTrue(trained.out().contains("on 8 examples of " + data.resolve("train")), trained.out());
        assertTrue(Files.isRegularFile(dir.resolve("run/best/config.json")));
        assertTrue(Files.readString(dir.resolve("run/best/config.json")).contains("\"num_frames\" : 4"));
    }

    @Test
    void evalReportsMultiViewBesideSingleView() {
        Run r = AppFixtures.run("eval", "--checkpoint", dir.resolve("run/best").toString(), "--views", "2x3",
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Matcher single = Pattern.compile("on 4 clips of .*\\(test split\\): top-1 (\\d+\\.\\d+)%").matcher(r.out());
        assertTrue(single.find(), r.out());
        Matcher multi = Pattern.compile("2x3 views \\(2 temporal clips x 3 spatial crops, softmax averaged\\): top-1 "
                + "\\d+\\.\\d+%.*\\(single view: top-1 " + Pattern.quote(single.group(1)) + "%\\)").matcher(r.out());
        assertTrue(multi.find(), r.out());
    }

    @Test
    void predictTakesVideoFolders() {
        Path video = data.resolve("val/b/v03");
        Run r = AppFixtures.run("predict", "--checkpoint", dir.resolve("run/best").toString(), "--top", "2", video.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(video + System.lineSeparator()), r.out());
        assertTrue(r.out().contains("1. ") && r.out().contains("2. "), r.out());
    }

    @Test
    void visualizeDrawsEachClipAsAStripOfFrames() throws Exception {
        Path pics = dir.resolve("pics");
        Run r = AppFixtures.run("visualize", "--checkpoint", dir.resolve("run/best").toString(), "--data", "frames:" + data,
                "--count", "2", "--out", pics.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Path png = pics.resolve("0000-a.png");
        assertTrue(Files.isRegularFile(png), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * (96 + 8) + 8, img.getWidth(), "one panel per frame");
        assertEquals(3 * (20 + 96 + 8) + 8 + 24, img.getHeight(), "input row and one row per sparsifying layer");
    }

    @Test
    void compareTabulatesClipsWithMultiView() throws Exception {
        Path out = dir.resolve("cmp");
        Run r = AppFixtures.run("compare", "--config", config.toString(), "--methods", "sparse-tuning,lora", "--data",
                "frames:" + data, "--views", "2x1", "--epochs", "1", "--batch-size", "4", "--val-fraction", "0.25",
                "--out", out.toString(), "--threads", "1", "--workers", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("top-1 2x1"), r.out());
        assertTrue(r.out().contains("train clip/s"), r.out());
        assertTrue(r.out().contains("6 training, 2 validation, 4 test clips"), r.out());
        assertTrue(Files.readString(out.resolve("compare.csv")).contains(",2x1,"));
    }

    @Test
    void imagesAndVideosAreNotMixedUp() throws Exception {
        Path imageConfig = AppFixtures.config(dir);
        Run r = AppFixtures.run("train", "--config", imageConfig.toString(), "--data", "frames:" + data, "--out",
                dir.resolve("wrong").toString(), "--epochs", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("holds videos but the model takes images: "
                + "give a clip model (--frames T, or num_frames in --config)"), r.err());

        Path png = AppFixtures.png(dir.resolve("x.png"), 0, 8, 1);
        r = AppFixtures.run("predict", "--checkpoint", dir.resolve("run/best").toString(), png.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(png + ": the model takes clips of 4 frames; give video folders"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        r = AppFixtures.run("eval", "--checkpoint", dir.resolve("run/best").toString(), "--views", "2by3");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--views must be CLIPSxCROPS, e.g. 2x3"), r.err());
    }

    @Test
    void aBadFrameStopsTrainingWithTheVideoAndFrameNamed() throws Exception {
        Path bad = dir.resolve("bad");
        VideoFixtures.classFolders(bad.resolve("train"), 2, 4);
        VideoFixtures.classFolders(bad.resolve("val"), 1, 4);
        Files.writeString(bad.resolve("train/b/v03/img_00003.png"), "garbage");
        Run r = AppFixtures.run("train", "--config", config.toString(), "--data", "frames:" + bad, "--out",
                dir.resolve("badrun").toString(), "--epochs", "1", "--batch-size", "4", "--threads", "1");
        assertEquals(1, r.code(), r.out());
        String err = r.err().strip();
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("sparse-tune train: error: " + bad.resolve("train/b/v03")
                + ": frame img_00003.png: cannot decode image"), err);
        assertFalse(err.contains("\tat "), err);

        r = AppFixtures.run("train", "--config", config.toString(), "--data", "frames:" + bad, "--out",
                dir.resolve("skiprun").toString(), "--epochs", "1", "--batch-size", "4", "--threads", "1",
                "--bad-files", "skip");
        assertEquals(0, r.code(), r.err());
    }
}
