package org.sparsetuning.app.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.train.MethodResult;

/** The main job, shrunk ({@link MainJobPlan#quick()}), on a stand-in for Fashion-MNIST written by the test. */
class MainJobTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryMethodWritesItsOutputAndReusesTheCachedBackbone() throws Exception {
        Path data = org.sparsetuning.app.AppFixtures.fashionMnist(dir.resolve("fm"), 8, 3);
        FashionMnist fm = FashionMnist.in(data);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<MethodResult> rows = new MainJob(MainJobPlan.quick(), fm.train(), fm.test(), dir.resolve("out"), dir.resolve("cache"),
                false, new PrintStream(log, true), null).run();
        String text = log.toString();
        assertEquals(List.of("sparse-tuning", "full", "linear-probe", "adaptformer", "lora", "kadaptation"),
                rows.stream().map(MethodResult::method).toList());
        assertTrue(text.contains("pre-training the ViT on 40 images"), text);
        assertTrue(text.contains("20 training images (4 per class), 10 validation, 15 test"), text);
        for (String f : List.of("table.txt", "compare.csv", "compare.json", "curves.png", "accuracy_vs_gflops.png",
                "sparse-tuning/curves.png", "kadaptation/best/weights.safetensors")) {
            assertTrue(Files.isRegularFile(dir.resolve("out").resolve(f)), f);
        }
        try (var pictures = Files.list(dir.resolve("out").resolve("pictures"))) {
            assertEquals(2, pictures.count());
        }
        assertTrue(text.contains("Output folder: " + dir.resolve("out").toAbsolutePath()), text);
        MethodResult st = rows.get(0);
        MethodResult full = rows.get(1);
        assertTrue(st.gflops() < full.gflops(), "Token Sparsification lowers the cost");
        assertTrue(st.trainableParameters() < full.trainableParameters());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new MainJob(MainJobPlan.quick(), fm.train(), fm.test(), dir.resolve("out2"), dir.resolve("cache"), false,
                new PrintStream(again, true), null).run();
        assertTrue(again.toString().contains("using the cached pre-trained backbone"), again.toString());
    }

    @Test
    void theCacheFollowsXdgAndTheRecipe() {
        assertEquals(Path.of("/x/sparse-tune"), BackboneCache.root(Map.of("XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/sparse-tune"), BackboneCache.root(Map.of(), "/home/u"));
        Path a = BackboneCache.folder(Path.of("/c"), "v", "recipe 1");
        assertEquals(a, BackboneCache.folder(Path.of("/c"), "v", "recipe 1"));
        assertTrue(!a.equals(BackboneCache.folder(Path.of("/c"), "v", "recipe 2")));
    }
}
