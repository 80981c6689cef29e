package org.sparsetuning.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparsetuning.app.Inputs;
import org.sparsetuning.app.LoadedModel;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.transforms.Image;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.train.Evaluator;

/**
 * The executor side of spark-predict: a partition's images, decoded and transformed as {@code predict} does,
 * classified in batches, one row per image: path, true label (null when the data has none), the top five classes
 * with their probabilities, the rank of the true label among the logits (as {@code eval} counts hits) and, for an
 * image skipped under {@code --bad-files skip}, the reason.
 */
final class Predictions {
    static final int TOP = 5;

    /** One input image: where it came from, its label name (or null), and how to decode it. */
    interface Source {
        String path();

        String label();

        Sample decode() throws IOException;
    }

    /** Raised on an executor for a bad image under --bad-files stop; its message is the one line the user sees. */
    static final class BadImage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadImage(String message) {
            super(message);
        }
    }

    private Predictions() {
    }

    static StructType schema() {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("path", DataTypes.StringType, false));
        f.add(DataTypes.createStructField("label", DataTypes.StringType, true));
        for (int k = 1; k <= TOP; k++) {
            f.add(DataTypes.createStructField("top" + k, DataTypes.StringType, true));
            f.add(DataTypes.createStructField("p" + k, DataTypes.DoubleType, true));
        }
        f.add(DataTypes.createStructField("label_rank", DataTypes.IntegerType, true));
        f.add(DataTypes.createStructField("error", DataTypes.StringType, true));
        return DataTypes.createStructType(f);
    }

    /** The rows of {@code sources}, classified {@code batchSize} at a time as the iterator is consumed. */
    static Iterator<Row> classify(LoadedModel m, Iterator<? extends Source> sources, int batchSize, BadFilePolicy policy) {
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                while (next == ready.size() && sources.hasNext()) {
                    ready.clear();
                    next = 0;
                    ready.addAll(batch(m, sources, batchSize, policy));
                }
                return next < ready.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }

    @SuppressWarnings("try")
    private static List<Row> batch(LoadedModel m, Iterator<? extends Source> sources, int batchSize, BadFilePolicy policy) {
        List<Row> rows = new ArrayList<>();
        List<Source> kept = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        int c = 0, h = 0, w = 0;
        while (kept.size() < batchSize && sources.hasNext()) {
            Source s = sources.next();
            Image img;
            try {
                Sample sample = s.decode();
                TransformPipeline pipe = Inputs.evaluation(m.model().cfg, sample.channels(), m.norm());
                img = pipe.apply(sample, new Generator(0));
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() != null && e.getMessage().startsWith(s.path()) ? e.getMessage()
                        : s.path() + ": " + e.getMessage();
                if (policy == BadFilePolicy.STOP) {
                    throw new BadImage(why + " (--bad-files skip would skip it)");
                }
                rows.add(errorRow(s, why));
                continue;
            }
            kept.add(s);
            pixels.add(img.pixels());
            c = img.channels();
            h = img.height();
            w = img.width();
        }
        if (kept.isEmpty()) {
            return rows;
        }
        int n = kept.size(), per = c * h * w;
        float[] x = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels.get(i), 0, x, i * per, per);
        }
        float[] logits;
        int classes = m.model().cfg.numClasses();
        // One model per executor JVM, shared by its tasks; its forward pass uses every core already.
        synchronized (m) {
            m.model().eval();
            try (TensorScope scope = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
                logits = m.model().forward(Tensor.of(x, n, c, h, w)).data().contiguous().toFloatArray();
            }
        }
        for (int i = 0; i < n; i++) {
            rows.add(row(m, kept.get(i), logits, i * classes, classes));
        }
        return rows;
    }

    private static Row row(LoadedModel m, Source s, float[] logits, int off, int classes) {
        double[] probs = softmax(logits, off, classes);
        Integer[] order = new Integer[classes];
        for (int i = 0; i < classes; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        Object[] v = new Object[2 + 2 * TOP + 2];
        v[0] = s.path();
        v[1] = s.label();
        for (int k = 0; k < TOP; k++) {
            if (k < classes) {
                v[2 + 2 * k] = m.className(order[k]);
                v[3 + 2 * k] = probs[order[k]];
            }
        }
        if (s.label() != null) {
            int label = m.classNames().indexOf(s.label());
            if (label < 0) {
                throw new BadImage(s.path() + ": its class '" + s.label() + "' is not one of the checkpoint's "
                        + m.classNames().size() + " classes");
            }
            v[2 + 2 * TOP] = Evaluator.rankOfLabel(logits, off, classes, label);
        }
        return RowFactory.create(v);
    }

    private static Row errorRow(Source s, String why) {
        Object[] v = new Object[2 + 2 * TOP + 2];
        v[0] = s.path();
        v[1] = s.label();
        v[v.length - 1] = why;
        return RowFactory.create(v);
    }

    /** Softmax in double of one row of float logits (predict's float softmax agrees to ~1e-7). */
    private static double[] softmax(float[] z, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, z[off + i]);
        }
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(z[off + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
