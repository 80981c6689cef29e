package org.sparsetuning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures;
import org.sparsetuning.app.AppFixtures.Run;
import org.sparsetuning.train.MetricsLog;

/**
 * spark-predict and spark-train on local[2] (one Spark session for the class, which the commands reuse) against
 * the single-process commands: the same top-1/top-5 and per-image probabilities as eval and predict, the same
 * losses as train, and a restarted or resumed run that repeats an uninterrupted one.
 */
class SparkLocalTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path checkpoint;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws Exception {
        data = AppFixtures.imageFolder(dir.resolve("data"), 8, 3);
        SparkFixtures.ok(SparkFixtures.run(List.of("train"), SparkFixtures.trainFlags(dir, data, "--out",
                dir.resolve("single").toString())));
        checkpoint = dir.resolve("single/last");
        // Two slots; a failed barrier stage is restarted once (SparkConf reads spark.* system properties).
        System.setProperty("spark.stage.maxConsecutiveAttempts", "2");
        try {
            spark = SparkSessions.start("local[2]", "SparkLocalTest");
        } finally {
            System.clearProperty("spark.stage.maxConsecutiveAttempts");
        }
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void predictEqualsEvalAndPredict() throws Exception {
        Path out = dir.resolve("predicted");
        Run sp = SparkFixtures.ok(AppFixtures.run("spark-predict", "--master", "local[2]", "--checkpoint", checkpoint.toString(),
                "--data", "imagefolder:" + data, "--out", out.toString(), "--partitions", "3", "--batch-size", "4"));
        Run ev = SparkFixtures.ok(AppFixtures.run("eval", "--checkpoint", checkpoint.toString(), "--data", "imagefolder:" + data,
                "--threads", "1"));
        assertEquals(SparkFixtures.tops(ev.out()), SparkFixtures.tops(sp.out()), sp.out() + "\n" + ev.out());

        List<String> lines = Files.readAllLines(out.resolve("predictions.csv"));
        assertEquals("path,label,top1,p1,top2,p2,top3,p3,top4,p4,top5,p5", lines.get(0));
        assertEquals(1 + 9, lines.size(), "one row per validation image");
        assertTrue(Files.isDirectory(out.resolve("predictions.parquet")));
        for (String line : List.of(lines.get(1), lines.get(5), lines.get(9))) {
            String[] f = line.split(",");
            Path file = Path.of(java.net.URI.create(f[0]));
            assertEquals(file.getParent().getFileName().toString(), f[1], "the label is the class folder");
            Run p = SparkFixtures.ok(AppFixtures.run("predict", "--checkpoint", checkpoint.toString(), "--top", "3",
                    "--threads", "1", file.toString()));
            // predict prints "  k. CLASS  PROB" with 4 decimals; the test model has 3 classes (top4/top5 empty).
            String[] shown = p.out().strip().split("\n");
            for (int k = 0; k < 3; k++) {
                String[] w = shown[1 + k].trim().split("\\s+");
                assertEquals(w[1], f[2 + 2 * k], line);
                assertEquals(w[2], String.format(Locale.ROOT, "%.4f", Double.parseDouble(f[3 + 2 * k])), line);
            }
            assertEquals("", f.length > 8 ? f[8] : "", "no fourth class");
        }
    }

    @Test
    void predictReportsABadImageByPathOrSkipsIt() throws Exception {
        Path bad = dir.resolve("baddata");
        AppFixtures.imageFolder(bad, 1, 2);
        Path broken = bad.resolve("val/green/img1.png");
        Files.write(broken, new byte[] {1, 2, 3});
        Run stop = AppFixtures.run("spark-predict", "--master", "local[2]", "--checkpoint", checkpoint.toString(),
                "--data", "imagefolder:" + bad, "--out", dir.resolve("bad-stop").toString());
        assertEquals(1, stop.code(), stop.err());
        assertOneLine(stop.err(), broken.toString());

        Run skip = SparkFixtures.ok(AppFixtures.run("spark-predict", "--master", "local[2]", "--checkpoint",
                checkpoint.toString(), "--data", "imagefolder:" + bad, "--out", dir.resolve("bad-skip").toString(),
                "--bad-files", "skip"));
        assertTrue(skip.out().contains("skipped 1 unreadable images") && skip.out().contains(broken.toString()), skip.out());
        assertEquals(1 + 5, Files.readAllLines(dir.resolve("bad-skip/predictions.csv")).size());
    }

    @Test
    void trainWithTwoWorkersRepeatsSingleProcessLosses() throws Exception {
        Path spark2 = dir.resolve("spark2");
        Run sr = SparkFixtures.ok(SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"),
                SparkFixtures.trainFlags(dir, data, "--out", spark2.toString())));
        assertTrue(sr.out().contains("spark-train: 2 replicas"), sr.out());
        // The same global batches cut in two, as train cuts them for --accumulate 2: bit for bit.
        Path acc = dir.resolve("single-acc2");
        SparkFixtures.ok(SparkFixtures.run(List.of("train"), SparkFixtures.trainFlags(dir, data, "--out", acc.toString(),
                "--accumulate", "2")));
        assertSameSteps(acc, spark2);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(acc.resolve("last/weights.safetensors")),
                Files.readAllBytes(spark2.resolve("last/weights.safetensors"))), "the same final weights, byte for byte");
        // Plain train with the same --batch-size: the same losses to rounding (one batch vs two summed halves).
        Path plain = dir.resolve("single-2ep");
        SparkFixtures.ok(SparkFixtures.run(List.of("train"), SparkFixtures.trainFlags(dir, data, "--out", plain.toString())));
        List<double[]> a = MetricsLog.readSteps(plain), b = MetricsLog.readSteps(spark2);
        assertEquals(10, a.size());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i)[1], b.get(i)[1], 1e-5 * Math.abs(a.get(i)[1]), "step " + (i + 1));
        }
        assertTrue(Files.isRegularFile(spark2.resolve(MetricsLog.EPOCHS_CSV)));
        assertTrue(Files.readAllLines(spark2.resolve(StepReporter.FILE)).stream().anyMatch(l -> l.contains("allreduce_s")));
    }

    @Test
    void aRestartedStageAndAResumedRunRepeatAnUninterruptedOne() throws Exception {
        Path whole = dir.resolve("whole");
        SparkFixtures.ok(SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"),
                SparkFixtures.trainFlags(dir, data, "--out", whole.toString())));

        // Replica 1 fails after step 3; Spark restarts the barrier stage, which resumes from step 2's checkpoint.
        Path restarted = dir.resolve("restarted");
        System.setProperty(SparkTrainCommand.FAIL_AFTER_STEP, "3");
        Run r;
        try {
            r = SparkFixtures.ok(SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"),
                    SparkFixtures.trainFlags(dir, data, "--out", restarted.toString(), "--save-every", "2")));
        } finally {
            System.clearProperty(SparkTrainCommand.FAIL_AFTER_STEP);
        }
        assertTrue(r.out().contains("restarted 1 time"), r.out());
        assertSameSteps(whole, restarted);

        // A run whose replica 1 fails after step 3 in every attempt: Spark gives up; its last checkpoint is step 2's.
        Path broken = dir.resolve("broken");
        System.setProperty(SparkTrainCommand.FAIL_AFTER_STEP, "3,always");
        Run failed;
        try {
            failed = SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"),
                    SparkFixtures.trainFlags(dir, data, "--out", broken.toString(), "--save-every", "2"));
        } finally {
            System.clearProperty(SparkTrainCommand.FAIL_AFTER_STEP);
        }
        assertEquals(1, failed.code(), failed.err());
        assertOneLine(failed.err(), "replica 1 stops after step 3");
        Run resumed = SparkFixtures.ok(AppFixtures.run("spark-train", "--master", "local[2]", "--workers", "2", "--resume",
                broken.resolve("last").toString(), "--threads", "1"));
        assertFalse(resumed.err().contains("\tat "), resumed.err());
        assertSameSteps(whole, broken);
    }

    @Test
    void badInputGivesOneLine() throws Exception {
        List<String> flags = SparkFixtures.trainFlags(dir, data, "--out", dir.resolve("never").toString());
        Run unreachable = SparkFixtures.run(List.of("spark-train", "--master", "spark://127.0.0.1:1", "--workers", "2"), flags);
        assertEquals(1, unreachable.code());
        assertOneLine(unreachable.err(), "no Spark master answers at 127.0.0.1:1");

        Run slots = SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "3"), flags);
        assertEquals(1, slots.code());
        assertOneLine(slots.err(), "--workers 3 is more than the 2 task slots");

        Run missing = SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"),
                SparkFixtures.trainFlags(dir, dir.resolve("nowhere"), "--out", dir.resolve("never").toString()));
        assertEquals(1, missing.code());
        assertOneLine(missing.err(), dir.resolve("nowhere").toString());

        List<String> gpu = new ArrayList<>(flags);
        gpu.addAll(List.of("--device", "opencl:0"));
        Run device = SparkFixtures.run(List.of("spark-train", "--master", "local[2]", "--workers", "2"), gpu);
        assertEquals(1, device.code());
        assertOneLine(device.err(), "replicas compute on the CPU");

        Path junk = Files.createDirectories(dir.resolve("junk-checkpoint"));
        Files.writeString(junk.resolve("state.json"), "{not json");
        Files.writeString(junk.resolve("config.json"), "{}");
        Files.writeString(junk.resolve("weights.safetensors"), "");
        Run unreadable = AppFixtures.run("spark-predict", "--master", "local[2]", "--checkpoint", junk.toString(), "--data",
                "imagefolder:" + data, "--out", dir.resolve("never").toString());
        assertEquals(1, unreadable.code());
        assertOneLine(unreadable.err(), junk.toString());

        Run noData = AppFixtures.run("spark-predict", "--master", "local[2]", "--checkpoint", checkpoint.toString(), "--data",
                "imagefolder:" + dir.resolve("nowhere"), "--out", dir.resolve("never").toString());
        assertEquals(1, noData.code());
        assertOneLine(noData.err(), dir.resolve("nowhere") + ": data folder not found");
    }

    static void assertOneLine(String err, String expected) {
        List<String> lines = new ArrayList<>();
        for (String l : err.split("\n")) {
            // The progress bar's refresher may draw once more after the bar is closed, so the error line can follow
            // a bar's carriage-returned text on the same terminal line: take it from its "sparse-tune " on.
            int at = l.indexOf("sparse-tune ");
            if (at >= 0 && l.indexOf(": error: ", at) > 0) {
                lines.add(l.substring(at));
            }
        }
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    static void assertSameSteps(Path expected, Path actual) throws Exception {
        List<double[]> a = MetricsLog.readSteps(expected), b = MetricsLog.readSteps(actual);
        assertEquals(a.size(), b.size(), "steps");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(a.get(i)[1]), Double.doubleToRawLongBits(b.get(i)[1]),
                    "step " + (i + 1) + ": " + a.get(i)[1] + " vs " + b.get(i)[1]);
        }
    }

}
