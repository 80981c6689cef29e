package org.sparsetuning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sparsetuning.app.AppFixtures;
import org.sparsetuning.app.AppFixtures.Run;

/** A tiny trained checkpoint and its data, and helpers that read the commands' outputs. */
final class SparkFixtures {
    private static final Pattern TOPS = Pattern.compile("top-1 (\\d+\\.\\d+)%, top-5 (\\d+\\.\\d+)%");

    private SparkFixtures() {
    }

    /** Folders the local-cluster workers need as a Spark home (executor jars come from the class path). */
    static void sparkHome() throws IOException {
        Path home = Path.of(System.getenv("SPARK_HOME"));
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
    }

    /** Train flags over the image folder: 24 training images, batches of 5 (the last of each epoch holds 4). */
    static List<String> trainFlags(Path dir, Path data, String... more) throws IOException {
        List<String> a = new ArrayList<>(List.of("--config", AppFixtures.config(dir).toString(), "--data", "imagefolder:" + data,
                "--epochs", "2", "--batch-size", "5", "--lr", "5e-3", "--seed", "3", "--threads", "1", "--eval-data", "none"));
        a.addAll(Arrays.asList(more));
        return a;
    }

    static Run run(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return AppFixtures.run(all.toArray(new String[0]));
    }

    static Run ok(Run r) {
        assertEquals(0, r.code(), () -> "exit code; stdout: " + r.out() + "\nstderr: " + r.err());
        return r;
    }

    /** {top-1, top-5} as printed by eval and spark-predict. */
    static String tops(String out) {
        Matcher m = TOPS.matcher(out);
        if (!m.find()) {
            throw new AssertionError("no top-1/top-5 in: " + out);
        }
        return m.group(1) + "/" + m.group(2);
    }
}
