package org.sparsetuning.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.app.AppFixtures;
import org.sparsetuning.app.AppFixtures.Run;

/**
 * Both commands on a real multi-process cluster on the loopback: Spark's standalone Master and two Workers
 * (local-cluster[2,1,1024]), whose executors are separate JVMs started the way a standalone Worker starts them.
 */
class SparkClusterTest {
    @TempDir
    static Path dir;
    static Path data;
    static SparkSession spark;

    @BeforeAll
    static void setUp() throws Exception {
        data = AppFixtures.imageFolder(dir.resolve("data"), 8, 3);
        SparkFixtures.sparkHome();
        spark = SparkSessions.start("local-cluster[2,1,1024]", "SparkClusterTest");
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void bothCommandsRunOnExecutorsInOtherJvms() throws Exception {
        Path acc = dir.resolve("single-acc2");
        SparkFixtures.ok(SparkFixtures.run(List.of("train"), SparkFixtures.trainFlags(dir, data, "--out", acc.toString(),
                "--accumulate", "2")));
        Path trained = dir.resolve("spark2");
        SparkFixtures.ok(SparkFixtures.run(List.of("spark-train", "--master", "local-cluster[2,1,1024]", "--workers", "2"),
                SparkFixtures.trainFlags(dir, data, "--out", trained.toString())));
        // The driver and two executors, each its own JVM.
        assertEquals(3, spark.sparkContext().getExecutorMemoryStatus().size());
        SparkLocalTest.assertSameSteps(acc, trained);

        Path checkpoint = trained.resolve("last");
        Run sp = SparkFixtures.ok(AppFixtures.run("spark-predict", "--master", "local-cluster[2,1,1024]", "--checkpoint",
                checkpoint.toString(), "--data", "imagefolder:" + data, "--out", dir.resolve("predicted").toString(),
                "--batch-size", "4"));
        Run ev = SparkFixtures.ok(AppFixtures.run("eval", "--checkpoint", checkpoint.toString(), "--data", "imagefolder:" + data,
                "--threads", "1"));
        assertEquals(SparkFixtures.tops(ev.out()), SparkFixtures.tops(sp.out()), sp.out() + "\n" + ev.out());
    }
}
