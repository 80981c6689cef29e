package org.sparsetuning.data.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.tensor.random.Generator;

/**
 * Only the examples of some classes, relabelled 0…k−1 in the order the classes are given (keeping {5…9}
 * makes class 5 label 0), with their names; the examples keep the base dataset's order.
 */
public final class ClassFilter implements Dataset {
    private final Dataset base;
    private final int[] kept;
    private final int[] indices;
    private final int[] newLabel;
    private final List<String> names;

    public ClassFilter(Dataset base, int... keepClasses) {
        int k = base.classNames().size();
        if (keepClasses.length == 0) {
            throw new IllegalArgumentException("class filter on " + base.source() + ": no classes to keep");
        }
        int[] map = new int[k];
        Arrays.fill(map, -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keepClasses.length; i++) {
            int c = keepClasses[i];
            if (c < 0 || c >= k) {
                throw new IllegalArgumentException("class filter on " + base.source() + ": class " + c
                        + " does not exist (" + k + " classes)");
            }
            if (map[c] >= 0) {
                throw new IllegalArgumentException("class filter on " + base.source() + ": class " + c + " listed twice");
            }
            map[c] = i;
            names.add(base.classNames().get(c));
        }
        int n = 0;
        int[] idx = new int[base.size()];
        for (int i = 0; i < base.size(); i++) {
            if (map[base.label(i)] >= 0) {
                idx[n++] = i;
            }
        }
        this.base = base;
        this.kept = keepClasses.clone();
        this.indices = Arrays.copyOf(idx, n);
        this.newLabel = map;
        this.names = List.copyOf(names);
    }

    /** Classes {@code from}…{@code to} inclusive. */
    public static ClassFilter range(Dataset base, int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("class range " + from + ".." + to + " is empty");
        }
        int[] keep = new int[to - from + 1];
        Arrays.setAll(keep, i -> from + i);
        return new ClassFilter(base, keep);
    }

    /** The base dataset's label of each new label. */
    public int[] keptClasses() {
        return kept.clone();
    }

    public int baseIndex(int index) {
        return indices[Objects.checkIndex(index, indices.length)];
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<String> classNames() {
        return names;
    }

    @Override
    public int label(int index) {
        return newLabel[base.label(baseIndex(index))];
    }

    @Override
    public Sample get(int index) throws IOException {
        Sample s = base.get(baseIndex(index));
        return s.withLabel(newLabel[s.label()]);
    }

    @Override
    public Sample get(int index, FrameSampling frames, Generator draws) throws IOException {
        Sample s = base.get(baseIndex(index), frames, draws);
        return s.withLabel(newLabel[s.label()]);
    }

    @Override
    public String source() {
        return base.source() + " [classes " + Arrays.toString(kept) + "]";
    }
}
