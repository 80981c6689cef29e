package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures.Run;
import org.sparsetuning.data.Seeds;
import org.sparsetuning.data.readers.ImageFolderDataset;
import org.sparsetuning.train.Checkpoint;
import org.sparsetuning.train.MetricsLog;

/**
 * A run that stops on an unreadable image, resumed with {@code train --resume} once the file is repaired, logs the
 * same losses, bit for bit, as a run that never stopped.
 */
class CliResumeTest {
    @TempDir
    Path dir;

    @Test
    void aRunStoppedByABadFileAndResumedMatchesAnUninterruptedOne() throws Exception {
        Path config = AppFixtures.config(dir);
        Path data = AppFixtures.imageFolder(dir.resolve("data"), 8, 2);
        String[] common = {"--config", config.toString(), "--data", "imagefolder:" + data, "--epochs", "2", "--batch-size",
            "4", "--lr", "5e-3", "--seed", "3", "--threads", "1", "--workers", "1"};
        Run a = AppFixtures.run(concat(common, "--out", dir.resolve("a").toString()));
        assertEquals(0, a.code(), a.err());

        // The image the first epoch reads last: the run gets 5 of its 6 steps done and checkpointed before it.
        ImageFolderDataset train = new ImageFolderDataset(data.resolve("train"));
        int[] order = Seeds.forShuffle(3, 0).permutation(train.size());
        Path victim = train.file(order[order.length - 1]);
        byte[] good = Files.readAllBytes(victim);
        Files.write(victim, new byte[] {1, 2, 3});
        Run b = AppFixtures.run(concat(common, "--out", dir.resolve("b").toString(), "--save-every", "1"));
        assertEquals(1, b.code());
        assertTrue(b.err().contains(victim.toString()), b.err());
        assertEquals(5, Checkpoint.state(dir.resolve("b").resolve("last")).get("step").asInt());

        Files.write(victim, good);
        Run resumed = AppFixtures.run("train", "--resume", dir.resolve("b").resolve("last").toString(), "--threads", "1",
                "--workers", "1");
        assertEquals(0, resumed.code(), resumed.err());
        List<double[]> sa = MetricsLog.readSteps(dir.resolve("a"));
        List<double[]> sb = MetricsLog.readSteps(dir.resolve("b"));
        assertEquals(12, sa.size());
        assertEquals(sa.size(), sb.size());
        for (int i = 0; i < sa.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(sa.get(i)[1]), Double.doubleToRawLongBits(sb.get(i)[1]),
                    "step " + (i + 1) + ": " + sa.get(i)[1] + " vs " + sb.get(i)[1]);
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a/last/weights.safetensors")),
                Files.readAllBytes(dir.resolve("b/last/weights.safetensors"))), "the same final weights, byte for byte");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length + 1];
        out[0] = "train";
        System.arraycopy(a, 0, out, 1, a.length);
        System.arraycopy(b, 0, out, 1 + a.length, b.length);
        return out;
    }
}
