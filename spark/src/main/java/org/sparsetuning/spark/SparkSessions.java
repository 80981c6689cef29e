package org.sparsetuning.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Starts the Spark session of a spark-* command, after the checks that turn the usual mistakes into one line
 * instead of a minute of retries: a master nobody answers at, a local-cluster without a Spark home for its workers,
 * more barrier tasks than the cluster has slots.
 */
final class SparkSessions {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+),\\s*(\\d+)]");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^:/,]+):(\\d+)");

    private SparkSessions() {
    }

    /**
     * Task slots of a local or local-cluster master (known before it starts), or -1 for other masters, whose
     * executors register later.
     */
    static int knownSlots(String master) {
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            String n = m.group(2);
            return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
        }
        m = LOCAL_CLUSTER.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2));
        }
        return -1;
    }

    /** A command's session: {@link #close()} stops it unless the command found one already running (tests share one). */
    record Session(SparkSession spark, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                spark.stop();
            }
        }
    }

    /** The running session (the caller is a test that started it), or a new one for {@code master}. */
    static Session open(String master, String appName) {
        check(master);
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return new Session(active.get(), false);
        }
        return new Session(start(master, appName), true);
    }

    static SparkSession start(String master, String appName) {
        check(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                // Spark waits for enough slots for a barrier stage; fail within ~30 s rather than ten minutes.
                .set("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "2s")
                .set("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "15")
                // The gradients of a step go through the driver in one message per replica.
                .set("spark.rpc.message.maxSize", "1024");
        boolean onThisMachine = knownSlots(master) > 0 || master.startsWith("local-cluster") || isLoopback(master);
        if (onThisMachine) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        if (knownSlots(master) < 0 || master.startsWith("local-cluster")) {
            // Executors in other JVMs load the engine from the same class path (same paths on every worker).
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
            // The engine's backward pass recurses through the graph (Spark adds its own JDK flags to these).
            conf.set("spark.executor.extraJavaOptions", "-Xss8m");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            awaitExecutors(spark, Integer.parseInt(cluster.group(1)));
        }
        return spark;
    }

    /**
     * Waits for a local-cluster's executors: their JVMs take a while to start on a busy machine, and a barrier stage
     * submitted before they register fails for want of slots.
     */
    private static void awaitExecutors(SparkSession spark, int executors) {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (spark.sparkContext().getExecutorMemoryStatus().size() - 1 < executors) {
            if (System.nanoTime() > deadline) {
                int got = spark.sparkContext().getExecutorMemoryStatus().size() - 1;
                spark.stop();
                throw new IllegalStateException("local-cluster: " + got + " of " + executors + " executors started in 3 minutes");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the executors", e);
            }
        }
    }

    private static boolean isLoopback(String master) {
        Matcher m = STANDALONE.matcher(master);
        return m.matches() && (m.group(1).equals("127.0.0.1") || m.group(1).equals("localhost"));
    }

    private static void check(String master) {
        if (knownSlots(master) > 0) {
            return;
        }
        if (master.startsWith("local-cluster")) {
            if (!LOCAL_CLUSTER.matcher(master).matches()) {
                throw new IllegalArgumentException("--master " + master + ": expected local-cluster[WORKERS,CORES,MEMORY_MB]");
            }
            String home = System.getenv("SPARK_HOME");
            if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
                throw new IllegalArgumentException("--master " + master + ": its workers start executors from SPARK_HOME, "
                        + "which must name a folder with a jars/ sub-folder (./sparse-tune sets it to spark/target/spark-home)");
            }
            return;
        }
        Matcher m = STANDALONE.matcher(master);
        if (m.matches()) {
            String host = m.group(1);
            int port = Integer.parseInt(m.group(2));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
            } catch (IOException e) {
                throw new IllegalArgumentException("--master " + master + ": no Spark master answers at " + host + ":" + port
                        + " (" + e.getMessage() + ")");
            }
            return;
        }
        if (!master.startsWith("yarn") && !master.startsWith("k8s://") && !master.startsWith("spark://")) {
            throw new IllegalArgumentException("--master " + master + ": expected local[N], local-cluster[W,C,MB], "
                    + "spark://HOST:PORT, yarn or k8s://URL");
        }
    }
}
