package org.sparsetuning.data.views;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.tensor.random.Generator;

/** The examples of several datasets with the same classes, one after the other. */
public final class Concat implements Dataset {
    private final List<Dataset> parts;
    private final int[] first;

    public Concat(List<Dataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Concat needs at least one dataset");
        }
        for (Dataset d : parts) {
            if (!d.classNames().equals(parts.get(0).classNames())) {
                throw new IllegalArgumentException("cannot concatenate " + d.source() + " (classes " + d.classNames()
                        + ") with " + parts.get(0).source() + " (classes " + parts.get(0).classNames() + ")");
            }
        }
        this.parts = List.copyOf(parts);
        this.first = new int[parts.size() + 1];
        for (int i = 0; i < parts.size(); i++) {
            first[i + 1] = Math.addExact(first[i], parts.get(i).size());
        }
    }

    private int part(int index) {
        Objects.checkIndex(index, size());
        int p = 0;
        while (first[p + 1] <= index) {
            p++;
        }
        return p;
    }

    @Override
    public int size() {
        return first[parts.size()];
    }

    @Override
    public List<String> classNames() {
        return parts.get(0).classNames();
    }

    @Override
    public int label(int index) {
        int p = part(index);
        return parts.get(p).label(index - first[p]);
    }

    @Override
    public Sample get(int index) throws IOException {
        int p = part(index);
        return parts.get(p).get(index - first[p]);
    }

    @Override
    public Sample get(int index, FrameSampling frames, Generator draws) throws IOException {
        int p = part(index);
        return parts.get(p).get(index - first[p], frames, draws);
    }

    @Override
    public String source() {
        StringBuilder sb = new StringBuilder();
        for (Dataset d : parts) {
            sb.append(sb.length() == 0 ? "" : " + ").append(d.source());
        }
        return sb.toString();
    }
}
