package org.sparsetuning.vit.train;

import java.util.Arrays;
import java.util.List;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.vit.data.Batch;

/**
 * Examples held in memory as one tensor, already transformed and normalised: small data sets (the main job's
 * Fashion-MNIST subsets) and tests. No augmentation, so {@code epoch} is not used.
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

    @Override
    public Batch batch(int epoch, int[] indices) {
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
