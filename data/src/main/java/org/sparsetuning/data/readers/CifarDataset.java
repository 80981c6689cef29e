package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;

/**
 * CIFAR-10 / CIFAR-100 in the "binary version" (Krizhevsky's {@code *.bin} files): fixed-size records of
 * label byte(s) then 3072 pixel bytes, 1024 per channel (R, G, B), each a 32×32 row-major plane, which is
 * CHW already. CIFAR-10 records have one label byte; CIFAR-100 records have the coarse (20 superclasses)
 * then the fine (100 classes) label. Files are memory-mapped; labels are read and checked when opening.
 */
public final class CifarDataset implements Dataset {
    private static final int SIDE = 32;
    private static final int PIXELS = 3 * SIDE * SIDE;

    /** Which labels to read, and where their names live. */
    public enum Labels {
        CIFAR10(1, 0, 10, "batches.meta.txt"),
        CIFAR100_FINE(2, 1, 100, "fine_label_names.txt"),
        CIFAR100_COARSE(2, 0, 20, "coarse_label_names.txt");

        final int labelBytes;
        final int labelAt;
        final int classes;
        final String namesFile;

        Labels(int labelBytes, int labelAt, int classes, String namesFile) {
            this.labelBytes = labelBytes;
            this.labelAt = labelAt;
            this.classes = classes;
            this.namesFile = namesFile;
        }

        int recordSize() {
            return labelBytes + PIXELS;
        }
    }

    private final List<MappedByteBuffer> maps = new ArrayList<>();
    private final List<Path> files;
    private final int[] firstIndex;
    private final byte[] labels;
    private final Labels kind;
    private final List<String> classNames;
    private final String source;

    /**
     * Opens the given record files (in order) of the given kind; class names come from {@code namesFile}
     * next to the first file when present, else "0"…"K−1".
     */
    public CifarDataset(List<Path> files, Labels kind) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("CIFAR dataset needs at least one .bin file");
        }
        this.files = List.copyOf(files);
        this.kind = kind;
        this.firstIndex = new int[files.size() + 1];
        int rec = kind.recordSize();
        List<byte[]> perFile = new ArrayList<>();
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path p = files.get(f);
            MappedByteBuffer map = map(p);
            if (map.capacity() == 0 || map.capacity() % rec != 0) {
                throw new DataFileException(p + ": " + map.capacity() + " bytes is not a whole number of " + rec + "-byte "
                        + kind + " records (" + map.capacity() / rec + " complete, " + map.capacity() % rec
                        + " bytes left over): truncated file, or not " + (kind == Labels.CIFAR10 ? "CIFAR-10" : "CIFAR-100") + " binary");
            }
            int n = map.capacity() / rec;
            byte[] lab = new byte[n];
            for (int i = 0; i < n; i++) {
                int value = map.get(i * rec + kind.labelAt) & 0xFF;
                if (value >= kind.classes) {
                    throw new DataFileException(p + ": record " + i + " has label " + value + ", but " + kind + " has "
                            + kind.classes + " classes (wrong variant, or not a CIFAR binary file?)");
                }
                lab[i] = (byte) value;
            }
            maps.add(map);
            perFile.add(lab);
            total += n;
            firstIndex[f + 1] = (int) Math.min(total, Integer.MAX_VALUE);
        }
        this.labels = new byte[(int) total];
        for (int f = 0; f < perFile.size(); f++) {
            System.arraycopy(perFile.get(f), 0, labels, firstIndex[f], perFile.get(f).length);
        }
        Path names = files.get(0).resolveSibling(kind.namesFile);
        if (Files.isRegularFile(names)) {
            List<String> read = DataFiles.nonBlankLines(names);
            if (read.size() != kind.classes) {
                throw new DataFileException(names + ": " + read.size() + " class names, expected " + kind.classes);
            }
            this.classNames = List.copyOf(read);
        } else {
            this.classNames = DataFiles.numberedClasses(kind.classes);
        }
        this.source = files.size() == 1 ? files.get(0).toString() : files.get(0).toAbsolutePath().getParent() + " (" + files.size() + " files)";
    }

    /** CIFAR-10's training set (data_batch_1.bin …) or test set (test_batch.bin) in {@code dir}. */
    public static CifarDataset cifar10(Path dir, boolean train) throws IOException {
        Path d = folder(dir, "cifar-10-batches-bin");
        return new CifarDataset(train ? numbered(d, "data_batch_") : List.of(existing(d.resolve("test_batch.bin"))), Labels.CIFAR10);
    }

    /** CIFAR-100's train.bin or test.bin in {@code dir}, with the fine (100) or coarse (20) labels. */
    public static CifarDataset cifar100(Path dir, boolean train, boolean fine) throws IOException {
        Path d = folder(dir, "cifar-100-binary");
        return new CifarDataset(List.of(existing(d.resolve(train ? "train.bin" : "test.bin"))),
                fine ? Labels.CIFAR100_FINE : Labels.CIFAR100_COARSE);
    }

    /** {@code dir} itself, or its sub-folder named as in the official archive. */
    private static Path folder(Path dir, String archiveFolder) {
        Path inner = dir.resolve(archiveFolder);
        return Files.isDirectory(inner) ? inner : dir;
    }

    private static Path existing(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new DataFileException(p + ": file not found");
        }
        return p;
    }

    /** prefix1.bin, prefix2.bin, … which must be numbered 1…k without gaps. */
    private static List<Path> numbered(Path dir, String prefix) throws IOException {
        Pattern pat = Pattern.compile(Pattern.quote(prefix) + "(\\d+)\\.bin");
        TreeMap<Integer, Path> found = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.forEach(p -> {
                    Matcher m = pat.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        found.put(Integer.parseInt(m.group(1)), p);
                    }
                });
            }
        }
        if (found.isEmpty()) {
            throw new DataFileException(dir + ": no " + prefix + "*.bin files (expected the CIFAR-10 binary version: data_batch_1.bin … data_batch_5.bin)");
        }
        for (int k = 1; k <= found.lastKey(); k++) {
            if (!found.containsKey(k)) {
                throw new DataFileException(dir.resolve(prefix + k + ".bin") + ": file not found (have " + found.values().stream()
                        .map(p -> p.getFileName().toString()).toList() + ")");
            }
        }
        return new ArrayList<>(found.values());
    }

    private static MappedByteBuffer map(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new DataFileException(p + ": " + ch.size() + " bytes, larger than a CIFAR batch file can be");
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (NoSuchFileException e) {
            throw new DataFileException(p + ": file not found", e);
        }
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
        return labels[Objects.checkIndex(index, labels.length)] & 0xFF;
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, labels.length);
        int f = 0;
        while (firstIndex[f + 1] <= index) {
            f++;
        }
        int record = index - firstIndex[f];
        byte[] raw = new byte[PIXELS];
        maps.get(f).get(record * kind.recordSize() + kind.labelBytes, raw, 0, PIXELS);
        float[] px = new float[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            px[i] = (raw[i] & 0xFF) / 255f;
        }
        return new Sample(px, 3, SIDE, SIDE, labels[index] & 0xFF, files.get(f) + "#" + record);
    }

    @Override
    public String source() {
        return source;
    }
}
