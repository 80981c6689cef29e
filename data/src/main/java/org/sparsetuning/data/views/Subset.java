package org.sparsetuning.data.views;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.tensor.random.Generator;

/** The examples of a base dataset at the given indices, in that order (repeats allowed). */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;
    private final String description;

    public Subset(Dataset base, int[] indices, String description) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= base.size()) {
                throw new IndexOutOfBoundsException("subset index " + indices[i] + " (position " + i + ") is outside "
                        + base.source() + " (" + base.size() + " examples)");
            }
        }
        this.base = base;
        this.indices = indices.clone();
        this.description = description;
    }

    public Subset(Dataset base, int[] indices) {
        this(base, indices, indices.length + " examples");
    }

    /** The base index of example {@code index}. */
    public int baseIndex(int index) {
        return indices[Objects.checkIndex(index, indices.length)];
    }

    public Dataset base() {
        return base;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int label(int index) {
        return base.label(baseIndex(index));
    }

    @Override
    public Sample get(int index) throws IOException {
        return base.get(baseIndex(index));
    }

    @Override
    public Sample get(int index, FrameSampling frames, Generator draws) throws IOException {
        return base.get(baseIndex(index), frames, draws);
    }

    @Override
    public String source() {
        return base.source() + " [" + description + "]";
    }
}
