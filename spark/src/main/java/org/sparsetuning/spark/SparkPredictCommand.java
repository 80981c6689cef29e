package org.sparsetuning.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.sparsetuning.app.CliCommand;
import org.sparsetuning.app.DataSpec;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.readers.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import scala.Tuple2;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** {@code sparse-tune spark-predict}: classifies a data set with a fine-tuned checkpoint on a Spark cluster. */
@Command(name = "spark-predict", mixinStandardHelpOptions = true,
        description = {"Classify every image of a data set on a Spark cluster: DIR/predictions.csv (path,label,top1,p1,...,"
                + "top5,p5, sorted by path) and DIR/predictions.parquet. Over labelled data, prints top-1 and top-5 as eval does.",
                "Executors build the model once each: the checkpoint's trainable tensors are broadcast, the backbone is "
                        + "read from its path (it must be reachable from every executor: a shared or hdfs:// / s3a:// path)."})
public final class SparkPredictCommand implements CliCommand {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff");

    @Option(names = "--master", required = true, description = "Spark master: local[N], local-cluster[W,C,MB], spark://HOST:PORT, yarn, k8s://...")
    String master;

    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint folder of train (a Hadoop path).")
    String checkpoint;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Backbone (default: the one the run was trained from).")
    String backbone;

    @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "imagefolder:PATH (read with Spark's "
            + "binaryFiles: file:, hdfs:, s3a: paths), or idx, fashion-mnist, cifar10, cifar100, vtab on a path every executor can read.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (a Hadoop path).")
    String out;

    @Option(names = "--split", defaultValue = "test", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--partitions", paramLabel = "N", description = "Input partitions (default: Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--batch-size", defaultValue = "64", description = "Images per forward pass. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--bad-files", defaultValue = "stop", description = "An unreadable image: stop (reported by path), or "
            + "skip it (listed, left out of the CSV). Default: ${DEFAULT-VALUE}.")
    String badFiles;

    @Override
    public Integer call() throws Exception {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        if (partitions != null && partitions <= 0) {
            throw new IllegalArgumentException("--partitions must be positive, got " + partitions);
        }
        BadFilePolicy policy = switch (badFiles) {
            case "stop" -> BadFilePolicy.STOP;
            case "skip" -> BadFilePolicy.SKIP;
            default -> throw new IllegalArgumentException("--bad-files must be stop or skip, got '" + badFiles + "'");
        };
        boolean train = switch (split) {
            case "train" -> true;
            case "test" -> false;
            default -> throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        };
        DataSpec.parse(data); // checks the kind before Spark starts
        try (SparkSessions.Session session = SparkSessions.open(master, "sparse-tune spark-predict")) {
            return predict(session.spark(), policy, train);
        } catch (Exception e) {
            // Scala code throws SparkException without declaring it.
            if (e instanceof org.apache.spark.SparkException) {
                throw new IllegalStateException(SparkErrors.describe(e), e);
            }
            throw e;
        }
    }

    private int predict(SparkSession spark, BadFilePolicy policy, boolean train) throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        CheckpointBundle bundle = CheckpointBundle.read(checkpoint, backbone, hadoop);
        if (!bundle.backbone().isEmpty() && !HadoopFiles.exists(bundle.backbone(), hadoop)) {
            throw new java.nio.file.NoSuchFileException(bundle.backbone() + ": backbone not found (named by " + checkpoint
                    + "; pass --backbone)");
        }
        Broadcast<CheckpointBundle> model = sc.broadcast(bundle);
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(hadoop));
        int parts = partitions != null ? partitions : sc.defaultParallelism();
        int batch = batchSize;
        long t0 = System.nanoTime();
        JavaRDD<Row> rows = inputs(sc, hadoop, train, parts).mapPartitions(sources ->
                Predictions.classify(model.value().model(conf.value().value()), sources, batch, policy));
        Dataset<Row> table = spark.createDataFrame(rows, Predictions.schema());
        String parquet = out + "/predictions.parquet";
        table.write().mode("overwrite").parquet(parquet);
        double seconds = (System.nanoTime() - t0) / 1e9;

        Dataset<Row> written = spark.read().parquet(parquet);
        Row totals = written.agg(count("*"), count(col("error")), count(col("label_rank")),
                sum(when(col("label_rank").lt(1), 1).otherwise(0)), sum(when(col("label_rank").lt(5), 1).otherwise(0))).first();
        long all = totals.getLong(0), bad = totals.getLong(1), labelled = totals.getLong(2);
        writeCsv(written.filter(col("error").isNull()).orderBy("path"), out + "/predictions.csv", hadoop);
        {
            System.out.printf(Locale.ROOT, "%,d images classified in %.1f s (%.1f images/s) on %s; %s/predictions.csv%n",
                    all - bad, seconds, (all - bad) / seconds, master, out);
            if (bad > 0) {
                System.out.printf(Locale.ROOT, "skipped %,d unreadable images (--bad-files skip):%n", bad);
                for (Row r : written.filter(col("error").isNotNull()).orderBy("path").limit(20).collectAsList()) {
                    System.out.println("  " + r.getString(r.fieldIndex("error")));
                }
            }
            if (labelled > 0) {
                long hits1 = totals.getLong(3), hits5 = totals.getLong(4);
                System.out.printf(Locale.ROOT, "%s on %,d labelled images of %s (%s split): top-1 %.2f%%, top-5 %.2f%%%n",
                        checkpoint, labelled, data, split, 100.0 * hits1 / labelled, 100.0 * hits5 / labelled);
            }
        }
        return 0;
    }

    /** The input images as {@link Predictions.Source}s, read on the executors. */
    private JavaRDD<Predictions.Source> inputs(JavaSparkContext sc, Configuration hadoop, boolean train, int parts)
            throws IOException {
        DataSpec spec = DataSpec.parse(data);
        if (spec.kind().equals("imagefolder")) {
            String root = data.substring(data.indexOf(':') + 1);
            if (!HadoopFiles.isDirectory(root, hadoop)) {
                throw new java.nio.file.NoSuchFileException(root + ": data folder not found (--data " + data + ")");
            }
            String dir = root;
            for (String sub : train ? new String[] {"train"} : new String[] {"val", "test"}) {
                if (HadoopFiles.isDirectory(root + "/" + sub, hadoop)) {
                    dir = root + "/" + sub;
                    break;
                }
            }
            FileSystem fs = HadoopFiles.fs(dir, hadoop);
            String prefix = fs.makeQualified(HadoopFiles.path(dir)).toString() + "/";
            // Class folders hold their images at any depth, as ImageFolder reads them.
            sc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true");
            return sc.binaryFiles(dir, parts).filter(f -> isImage(f._1(), prefix)).map(f -> imageFile(f, prefix));
        }
        // Packed formats (IDX, CIFAR binary, VTAB lists) are opened by each executor from a path it can read.
        org.sparsetuning.data.Dataset probe = spec.open(train ? DataSpec.Split.TRAIN : DataSpec.Split.TEST);
        int n = probe.size();
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            long from = (long) n * p / parts, to = (long) n * (p + 1) / parts;
            if (to > from) {
                ranges.add(new int[] {(int) from, (int) to});
            }
        }
        String value = data;
        return sc.parallelize(ranges, Math.max(1, ranges.size())).flatMap(r -> indexed(value, train, r));
    }

    private static boolean isImage(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return false;
        }
        String rel = path.substring(prefix.length());
        int slash = rel.indexOf('/');
        if (slash < 0) {
            return false; // a file beside the class folders
        }
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return false;
            }
        }
        int dot = rel.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(rel.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static Predictions.Source imageFile(Tuple2<String, org.apache.spark.input.PortableDataStream> f, String prefix) {
        String path = f._1();
        String rel = path.substring(prefix.length());
        String label = rel.substring(0, rel.indexOf('/'));
        org.apache.spark.input.PortableDataStream stream = f._2();
        return new ImageFileSource(path, label, stream);
    }

    /** An image file read through Hadoop on the executor, when the batch reaches it. */
    private record ImageFileSource(String path, String label, org.apache.spark.input.PortableDataStream stream)
            implements Predictions.Source, java.io.Serializable {
        @Override
        public Sample decode() throws IOException {
            return ImageDecoder.decode(stream.toArray(), 0, path);
        }
    }

    private static Iterator<Predictions.Source> indexed(String spec, boolean train, int[] range) throws IOException {
        org.sparsetuning.data.Dataset ds = DataSpec.parse(spec).open(train ? DataSpec.Split.TRAIN : DataSpec.Split.TEST);
        List<String> names = ds.classNames();
        return new Iterator<>() {
            private int i = range[0];

            @Override
            public boolean hasNext() {
                return i < range[1];
            }

            @Override
            public Predictions.Source next() {
                int index = i++;
                String label = names.get(ds.label(index));
                return new Predictions.Source() {
                    private Sample sample;

                    @Override
                    public String path() {
                        return ds.source() + "#" + index;
                    }

                    @Override
                    public String label() {
                        return label;
                    }

                    @Override
                    public Sample decode() throws IOException {
                        return sample != null ? sample : (sample = ds.get(index));
                    }
                };
            }
        };
    }

    /** Streams the rows to one CSV file through the driver, partition by partition. */
    private static void writeCsv(Dataset<Row> rows, String file, Configuration hadoop) throws IOException {
        FileSystem fs = HadoopFiles.fs(file, hadoop);
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fs.create(HadoopFiles.path(file), true),
                StandardCharsets.UTF_8))) {
            StringBuilder header = new StringBuilder("path,label");
            for (int k = 1; k <= Predictions.TOP; k++) {
                header.append(",top").append(k).append(",p").append(k);
            }
            w.write(header.append('\n').toString());
            Iterator<Row> it = rows.toLocalIterator();
            while (it.hasNext()) {
                Row r = it.next();
                StringBuilder line = new StringBuilder();
                line.append(csv(r.getString(0))).append(',').append(r.isNullAt(1) ? "" : csv(r.getString(1)));
                for (int k = 0; k < Predictions.TOP; k++) {
                    int c = 2 + 2 * k;
                    line.append(',').append(r.isNullAt(c) ? "" : csv(r.getString(c)));
                    line.append(',').append(r.isNullAt(c + 1) ? "" : String.format(Locale.ROOT, "%.6f", r.getDouble(c + 1)));
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
