package org.sparsetuning.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparsetuning.app.CliCommand;
import org.sparsetuning.app.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code sparse-tune spark-train}: data-parallel PEFT training in Spark's barrier execution mode. */
@Command(name = "spark-train", mixinStandardHelpOptions = true,
        description = {"Data-parallel training on a Spark cluster: --workers barrier tasks each hold a replica of the model "
                + "and a disjoint slice of every global batch (--batch-size examples, the same batches as train), and "
                + "sum their gradients every step in a fixed order, so every replica applies the same AdamW step.",
                "Takes every flag of train (see train --help) except train's own --workers; replica 0 writes the same "
                        + "checkpoints and metrics as train in --out, which must be a folder the driver and every "
                        + "executor reach."})
public final class SparkTrainCommand implements CliCommand {
    /** System property (tests): the last replica fails after this step (see {@link ReplicaTask}). */
    static final String FAIL_AFTER_STEP = "spark.sparsetuning.test.failAfterStep";

    /**
     * Above this many trainable parameters spark-train refuses without --allow-large-allreduce: every step, each
     * replica's gradients go through the driver (4 bytes each, Base64) and come back to every replica.
     */
    static final long LARGE_ALLREDUCE = 20_000_000L;

    @Option(names = "--master", required = true, description = "Spark master: local[N], local-cluster[W,C,MB], spark://HOST:PORT, ...")
    String master;

    @Option(names = "--workers", required = true, paramLabel = "N", description = "Replicas (barrier tasks); at most the cluster's task slots.")
    int workers;

    @Option(names = "--allow-large-allreduce", description = "Train more than " + LARGE_ALLREDUCE / 1_000_000
            + " M trainable parameters (e.g. full fine-tuning of ViT-B, 86 M: 344 MB of gradients per replica per step).")
    boolean allowLarge;

    @Unmatched
    List<String> trainArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        String[] args = trainArgs.toArray(new String[0]);
        for (int i = 0; i < args.length; i++) {
            String device = args[i].startsWith("--device=") ? args[i].substring(9)
                    : args[i].equals("--device") && i + 1 < args.length ? args[i + 1] : null;
            if (device != null && !device.equals("cpu")) {
                throw new IllegalArgumentException("--device " + device + ": spark-train replicas compute on the CPU; use --device cpu");
            }
        }
        TrainCommand probe = new TrainCommand();
        try {
            new CommandLine(probe).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + " (train's flags: sparse-tune train --help)");
        }
        if (probe.out() == null && probe.resume() == null) {
            throw new IllegalArgumentException("--out is required: the folder for checkpoints and metrics (or --resume a checkpoint)");
        }
        Path out = runFolder(probe);
        long trainable = probe.trainableParameters();
        if (trainable > LARGE_ALLREDUCE && !allowLarge) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%,d trainable parameters: every step each replica "
                    + "would send %,d MB of gradients through the driver and receive %,d MB back; train a PEFT method "
                    + "(Sparse-Tuning: ~1 M) or pass --allow-large-allreduce", trainable, 4 * trainable * 4 / 3 / 1_000_000,
                    4 * trainable * 4 / 3 * workers / 1_000_000));
        }
        int slots = SparkSessions.knownSlots(master);
        if (slots > 0 && workers > slots) {
            throw new IllegalArgumentException("--workers " + workers + " is more than the " + slots + " task slots of --master "
                    + master);
        }
        String failure = System.getProperty(FAIL_AFTER_STEP);
        SparkSessions.Session session = SparkSessions.open(master, "sparse-tune spark-train");
        long t0 = System.nanoTime();
        List<String> results;
        DriverProgress progress = new DriverProgress(out);
        TaskFailures failures = new TaskFailures();
        session.spark().sparkContext().addSparkListener(failures);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.spark().sparkContext());
            JavaRDD<Integer> ranks = sc.parallelize(IntStream.range(0, workers).boxed().toList(), workers);
            JavaRDD<String> replicas = ranks.rdd().barrier().mapPartitions(new ReplicaTask(args, workers, failure), false,
                    scala.reflect.ClassTag$.MODULE$.apply(String.class)).toJavaRDD();
            // Spark restarts a failed barrier stage only when it is a shuffle map stage (a result stage may have
            // committed output): the shuffle after it makes it one.
            results = replicas.repartition(1).collect();
        } catch (Exception e) {
            // Scala code throws SparkException without declaring it.
            if (e instanceof org.apache.spark.SparkException) {
                throw new IllegalStateException(SparkErrors.describe(e, failures), e);
            }
            throw e;
        } finally {
            progress.close();
            session.spark().sparkContext().removeSparkListener(failures);
            session.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double exchange = 0;
        long bytes = 0;
        int attempt = 0;
        for (String r : results) {
            String[] f = r.split(",");
            attempt = Math.max(attempt, Integer.parseInt(f[1]));
            exchange = Math.max(exchange, Double.parseDouble(f[3]));
            bytes += Long.parseLong(f[4]);
        }
        System.out.printf(Locale.ROOT, "spark-train: %d replicas on %s, %,d trainable parameters, %.1f s (all-reduce %.1f s, "
                        + "%,d bytes sent)%s; checkpoints in %s, metrics in %s%n", workers, master, trainable, seconds, exchange,
                bytes, attempt > 0 ? "; the stage was restarted " + attempt + " time(s) and resumed from the last checkpoint" : "",
                out.resolve("last"), out);
        return 0;
    }

    /** The run folder of train's flags: --out, or the folder of the --resume checkpoint. */
    static Path runFolder(TrainCommand cmd) {
        return cmd.out() != null ? cmd.out() : cmd.resume().toAbsolutePath().getParent();
    }
}
