package org.sparsetuning.app.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.data.video.FrameFolderDataset;
import org.sparsetuning.train.MethodResult;

/** The video demo, shrunk ({@link VideoDemoPlan#quick()}), on a stand-in for Fashion-MNIST written by the test. */
class VideoDemoTest {
    @TempDir
    Path dir;

    @Test
    void makesClipsPretrainsComparesAndReusesTheCache() throws Exception {
        Path data = org.sparsetuning.app.AppFixtures.fashionMnist(dir.resolve("fm"), 16, 6);
        FashionMnist fm = FashionMnist.in(data);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<MethodResult> rows = new VideoDemo(true, fm.train(), fm.test(), dir.resolve("out"), dir.resolve("cache"), false,
                0, new PrintStream(log, true), null).run();
        String text = log.toString();
        assertEquals(List.of("sparse-tuning", "full", "adaptformer", "lora"), rows.stream().map(MethodResult::method).toList());
        assertTrue(text.contains("writing 92 videos of 10 frames"), text);
        assertTrue(text.contains("pre-training the video ViT on 40 clips"), text);
        assertTrue(text.contains("8 classes (footwear or other x 4 diagonal motions); 16 training, 8 validation, 8 test clips"), text);
        assertTrue(text.contains("top-1 2x1"), text);
        assertTrue(text.contains("train clip/s"), text);
        for (MethodResult r : rows) {
            assertEquals("2x1", r.views());
            assertTrue(r.viewsTop1() >= 0 && r.viewsTop1() <= 1, r.method());
        }
        assertTrue(rows.get(0).gflops() < rows.get(1).gflops(), "Token Sparsification lowers the cost of a clip");
        for (String f : List.of("table.txt", "compare.csv", "compare.json", "accuracy_vs_gflops.png", "lora/best/weights.safetensors")) {
            assertTrue(Files.isRegularFile(dir.resolve("out").resolve(f)), f);
        }
        try (Stream<Path> pictures = Files.list(dir.resolve("out").resolve("pictures"))) {
            assertEquals(2, pictures.count());
        }

        // The clips: class folders of frame folders, a garment moving along the class's diagonal.
        Path cache;
        try (Stream<Path> s = Files.list(dir.resolve("cache"))) {
            cache = s.filter(p -> p.getFileName().toString().startsWith("video-demo-clips-")).findFirst().orElseThrow();
        }
        FrameFolderDataset test = FrameFolderDataset.classFolders(cache.resolve("downstream/test"), null);
        assertEquals("00-footwear-down-right", test.classNames().get(0));
        Sample clip = test.get(0, FrameSampling.centres(10), null);
        double[] first = centroid(clip, 0);
        double[] last = centroid(clip, 9);
        assertTrue(last[0] > first[0] + 10 && last[1] > first[1] + 10, "moves down and right");

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new VideoDemo(true, fm.train(), fm.test(), dir.resolve("out2"), dir.resolve("cache"), false, 0,
                new PrintStream(again, true), null).run();
        assertTrue(again.toString().contains("using the cached frame folders"), again.toString());
        assertTrue(again.toString().contains("using the cached pre-trained video ViT"), again.toString());
    }

    /** The brightness-weighted centre (x, y) of frame t. */
    private static double[] centroid(Sample clip, int t) {
        int s = clip.width();
        double sum = 0, x = 0, y = 0;
        for (int r = 0; r < s; r++) {
            for (int c = 0; c < s; c++) {
                double v = clip.pixels()[(t * s + r) * s + c];
                sum += v;
                x += v * c;
                y += v * r;
            }
        }
        return new double[] {x / sum, y / sum};
    }
}
