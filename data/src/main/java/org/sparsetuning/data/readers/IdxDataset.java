package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;

/**
 * Grayscale images and their labels from a pair of IDX files (MNIST, Fashion-MNIST): an images file of
 * shape [N, H, W] and a labels file of shape [N], each gzipped or not. Both are read into memory when the
 * dataset is opened and checked (magic numbers, sizes, matching counts, labels within the class list);
 * {@link #get} then only copies bytes, so it is thread-safe.
 */
public final class IdxDataset implements Dataset {
    private final IdxFile images;
    private final byte[] labels;
    private final List<String> classNames;
    private final int height;
    private final int width;

    /**
     * @param classNames names by label, or null for "0"…"K−1" with K = largest label + 1
     */
    public IdxDataset(Path imagesFile, Path labelsFile, List<String> classNames) throws IOException {
        this.images = IdxFile.read(imagesFile, 3, "images [N, H, W]");
        IdxFile lab = IdxFile.read(labelsFile, 1, "labels [N]");
        int n = images.dims()[0];
        if (lab.dims()[0] != n) {
            throw new DataFileException(labelsFile + ": " + lab.dims()[0] + " labels, but " + imagesFile + " holds " + n + " images");
        }
        this.labels = new byte[n];
        int maxLabel = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) lab.value(i);
            maxLabel = Math.max(maxLabel, lab.value(i));
        }
        if (classNames != null && maxLabel >= classNames.size()) {
            int at = 0;
            while (lab.value(at) < classNames.size()) {
                at++;
            }
            throw new DataFileException(labelsFile + ": label " + lab.value(at) + " at record " + at + ", but there are only "
                    + classNames.size() + " classes " + classNames);
        }
        this.classNames = classNames != null ? List.copyOf(classNames) : DataFiles.numberedClasses(maxLabel + 1);
        this.height = images.dims()[1];
        this.width = images.dims()[2];
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[java.util.Objects.checkIndex(index, labels.length)] & 0xFF;
    }

    @Override
    public Sample get(int index) {
        java.util.Objects.checkIndex(index, labels.length);
        int plane = height * width;
        float[] px = new float[plane];
        long base = (long) index * plane;
        for (int i = 0; i < plane; i++) {
            px[i] = images.value(base + i) / 255f;
        }
        return new Sample(px, 1, height, width, label(index), images.path() + "#" + index);
    }

    @Override
    public String source() {
        return images.path().toString();
    }
}
