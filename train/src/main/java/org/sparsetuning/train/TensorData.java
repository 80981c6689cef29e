package org.sparsetuning.train;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.data.Batch;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.Seeds;

/**
 * Examples held in memory as one tensor, already transformed and normalised: small data sets (the main job's
 * Fashion-MNIST subsets) and tests. Shuffled as {@link org.sparsetuning.data.loader.DataLoader} shuffles; no augmentation.
 */
public final class TensorData implements TrainingData {
    private final Tensor images;
    private final int[] labels;
    private final List<String> classNames;
    private final String source;

    /**
     * @param images [N, C, H, W] F32
     * @param labels N labels in [0, classNames.size())
     */
    public TensorData(Tensor images, int[] labels, List<String> classNames, String source) {
        if (images.dim() != 4 || images.dtype() != DType.F32) {
            throw new IllegalArgumentException(source + ": images must be F32 [N, C, H, W], got " + images.dtype() + " "
                    + Arrays.toString(images.shape()));
        }
        if (images.size(0) != labels.length) {
            throw new IllegalArgumentException(source + ": " + images.size(0) + " images but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(source + ": label " + labels[i] + " of example " + i + " is outside [0, "
                        + classNames.size() + ")");
            }
        }
        this.images = images.contiguous();
        // The data set outlives whatever TensorScope it was built in: its storage is its own.
        this.images.storage().retain();
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    /**
     * Decodes examples of a data set into memory, normalised per channel as {@code (x − mean) / std}.
     *
     * @param indices which examples, in this order
     * @param labelMap new label of each original label (−1: an example of that class is an error); null keeps them
     * @param classNames names of the new labels
     */
    public static TensorData decode(Dataset ds, int[] indices, int[] labelMap, List<String> classNames, double[] mean,
            double[] std, String name) throws IOException {
        if (indices.length == 0) {
            throw new IllegalArgumentException(name + ": no examples selected from " + ds.source());
        }
        Sample first = ds.get(indices[0]);
        int c = first.channels();
        int h = first.height();
        int w = first.width();
        if (mean.length != c || std.length != c) {
            throw new IllegalArgumentException(name + ": " + c + " channels but " + mean.length + " means and " + std.length + " stds");
        }
        int plane = h * w;
        float[] px = new float[indices.length * c * plane];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            Sample s = i == 0 ? first : ds.get(indices[i]);
            if (s.channels() != c || s.height() != h || s.width() != w) {
                throw new IllegalArgumentException(s.origin() + ": image is " + s.channels() + "x" + s.height() + "x" + s.width()
                        + ", the others are " + c + "x" + h + "x" + w);
            }
            int label = labelMap == null ? s.label() : (s.label() < labelMap.length ? labelMap[s.label()] : -1);
            if (label < 0) {
                throw new IllegalArgumentException(s.origin() + ": label " + s.label() + " is not one of the selected classes");
            }
            labels[i] = label;
            float[] src = s.pixels();
            for (int ch = 0; ch < c; ch++) {
                float m = (float) mean[ch];
                float inv = (float) (1 / std[ch]);
                int base = (i * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    px[base + p] = (src[ch * plane + p] - m) * inv;
                }
            }
        }
        return new TensorData(Tensor.of(px, indices.length, c, h, w), labels, classNames, name);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    public int label(int index) {
        return labels[index];
    }

    /** Image {@code index} as stored: [C, H, W], normalised. */
    public Tensor image(int index) {
        return images.select(0, index);
    }

    /** The examples at {@code indices}, in that order. */
    public Batch batch(int[] indices) {
        int[] ys = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= labels.length) {
                throw new IndexOutOfBoundsException(source + ": example " + indices[i] + " of " + labels.length);
            }
            ys[i] = labels[indices[i]];
        }
        Tensor x = images.indexSelect(0, Tensor.ofInts(indices.clone(), indices.length));
        return new Batch(x, Tensor.ofInts(ys, ys.length), indices.clone());
    }

    @Override
    public BatchStream shuffled(int epoch, int first, int batchSize, long seed) {
        return stream(Seeds.forShuffle(seed, epoch).permutation(labels.length), first, batchSize);
    }

    @Override
    public BatchStream inOrder(int batchSize) {
        int[] order = new int[labels.length];
        Arrays.setAll(order, i -> i);
        return stream(order, 0, batchSize);
    }

    private BatchStream stream(int[] order, int first, int batchSize) {
        if (batchSize <= 0 || first < 0) {
            throw new IllegalArgumentException("batch size must be positive and the first batch >= 0, got " + batchSize + ", " + first);
        }
        return new BatchStream() {
            private int from = Math.min(order.length, first * batchSize);

            @Override
            public boolean hasNext() {
                return from < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException(source + ": no more batches");
                }
                int to = Math.min(order.length, from + batchSize);
                Batch b = batch(Arrays.copyOfRange(order, from, to));
                from = to;
                return b;
            }

            @Override
            public void close() {
                from = order.length;
            }
        };
    }

    /** The examples at these indices, as a data set of their own (a split). */
    public TensorData subset(int[] indices, String name) {
        Tensor x = images.indexSelect(0, Tensor.ofInts(indices.clone(), indices.length));
        int[] ys = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            ys[i] = labels[indices[i]];
        }
        return new TensorData(x, ys, classNames, name);
    }

    @Override
    public String source() {
        return source;
    }
}
