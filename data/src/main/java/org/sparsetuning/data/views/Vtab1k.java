package org.sparsetuning.data.views;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Seeds;
import org.sparsetuning.data.readers.ListFileDataset;

/**
 * The VTAB-1k protocol: 1000 labelled training examples per task, 800 to train and 200 to validate (for
 * choosing hyper-parameters), then training on all 1000 and testing on the full test split. The split comes
 * either from the published list files or from a seeded draw out of a larger training set.
 */
public final class Vtab1k {
    public static final int TRAIN = 800;
    public static final int VAL = 200;

    private Vtab1k() {
    }

    /** The three training views; {@code trainval} is {@code train} and {@code val} together. */
    public record Split(Dataset train, Dataset val, Dataset trainval) {
    }

    /** 800 + 200 examples drawn from {@code pool} by the seed; train and val are disjoint. */
    public static Split draw(Dataset pool, long seed) {
        return draw(pool, TRAIN, VAL, seed);
    }

    public static Split draw(Dataset pool, int trainSize, int valSize, long seed) {
        if (trainSize <= 0 || valSize < 0) {
            throw new IllegalArgumentException("VTAB split sizes must be train > 0, val >= 0; got " + trainSize + ", " + valSize);
        }
        if (pool.size() < trainSize + valSize) {
            throw new IllegalArgumentException(pool.source() + ": " + pool.size() + " examples, fewer than the "
                    + trainSize + " + " + valSize + " the split needs");
        }
        int[] perm = Seeds.forPurpose(seed, "vtab1k", 0).permutation(pool.size());
        int[] train = sorted(Arrays.copyOfRange(perm, 0, trainSize));
        int[] val = sorted(Arrays.copyOfRange(perm, trainSize, trainSize + valSize));
        int[] both = sorted(Arrays.copyOfRange(perm, 0, trainSize + valSize));
        String tag = "seed " + seed;
        return new Split(new Subset(pool, train, "vtab train " + trainSize + ", " + tag),
                new Subset(pool, val, "vtab val " + valSize + ", " + tag),
                new Subset(pool, both, "vtab train+val " + (trainSize + valSize) + ", " + tag));
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }

    /**
     * The published split of one task folder: {@code train800.txt}, {@code val200.txt}, and
     * {@code train800val200.txt} when present (else train and val concatenated), paths relative to
     * {@code root}. Classes are numbered 0…K−1, K the largest label in any of the lists + 1.
     */
    public static Split fromLists(Path root) throws IOException {
        List<String> names = commonClasses(root, "train800.txt", "val200.txt", "train800val200.txt", "test.txt");
        Dataset train = new ListFileDataset(root, root.resolve("train800.txt"), names);
        Dataset val = new ListFileDataset(root, root.resolve("val200.txt"), names);
        Path tv = root.resolve("train800val200.txt");
        Dataset trainval = Files.isRegularFile(tv) ? new ListFileDataset(root, tv, names) : new Concat(List.of(train, val));
        return new Split(train, val, trainval);
    }

    /** The task's {@code test.txt}, with the class numbering of {@link #fromLists}. */
    public static Dataset testList(Path root) throws IOException {
        List<String> names = commonClasses(root, "train800.txt", "val200.txt", "train800val200.txt", "test.txt");
        return new ListFileDataset(root, root.resolve("test.txt"), names);
    }

    private static List<String> commonClasses(Path root, String... lists) throws IOException {
        int k = 0;
        for (String l : lists) {
            Path p = root.resolve(l);
            if (Files.isRegularFile(p)) {
                k = Math.max(k, new ListFileDataset(root, p, null).classNames().size());
            }
        }
        if (k == 0) {
            throw new IOException(root + ": no VTAB-1k list files (expected train800.txt, val200.txt, test.txt)");
        }
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
