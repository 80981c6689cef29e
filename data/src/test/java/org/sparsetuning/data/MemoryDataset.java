package org.sparsetuning.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A dataset built in memory for tests: example i has the given label and a 1×h×w image whose pixel j is
 * (i + j / 100) / 1000, so batches show which examples they hold; indices in {@code bad} fail like an
 * unreadable file.
 */
public final class MemoryDataset implements Dataset {
    private final int[] labels;
    private final int classes;
    private final int h;
    private final int w;
    private final Set<Integer> bad;

    public MemoryDataset(int[] labels, int classes, int h, int w, Set<Integer> bad) {
        this.labels = labels.clone();
        this.classes = classes;
        this.h = h;
        this.w = w;
        this.bad = Set.copyOf(bad);
    }

    /** n examples, label i mod classes. */
    public static MemoryDataset cyclic(int n, int classes) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return new MemoryDataset(labels, classes, 4, 6, Set.of());
    }

    public static float pixel(int index, int j) {
        return (index + j / 100f) / 1000f;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return names;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public Sample get(int index) throws IOException {
        if (bad.contains(index)) {
            throw new IOException("/data/bad-" + index + ".jpg: cannot decode image (test)");
        }
        float[] px = new float[h * w];
        for (int j = 0; j < px.length; j++) {
            px[j] = pixel(index, j);
        }
        return new Sample(px, 1, h, w, labels[index], "memory#" + index);
    }

    @Override
    public String source() {
        return "memory(" + labels.length + ")";
    }
}
