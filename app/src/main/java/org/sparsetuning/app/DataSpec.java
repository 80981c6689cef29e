package org.sparsetuning.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.readers.CifarDataset;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.data.readers.IdxDataset;
import org.sparsetuning.data.readers.ImageFolderDataset;
import org.sparsetuning.data.views.Subset;
import org.sparsetuning.data.video.FrameFolderDataset;
import org.sparsetuning.data.views.Vtab1k;

/**
 * A {@code --data KIND:PATH} value and how each kind splits into training and test data:
 * <ul>
 *   <li>{@code idx:DIR}: IDX files {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-…}
 *       (gzipped or not), classes numbered; {@code fashion-mnist[:DIR]} the same with Fashion-MNIST's class names
 *       (default DIR: Debian's dataset-fashion-mnist);</li>
 *   <li>{@code cifar10:DIR}, {@code cifar100:DIR}: the binary versions (training batches / test batch);</li>
 *   <li>{@code imagefolder:DIR}: one sub-folder per class; with {@code DIR/train} and {@code DIR/val} (or
 *       {@code DIR/test}) those are the splits; without either, every {@value #HOLD_OUT_EVERY}th image of each class
 *       (in the folder's sorted order) is held out as the test split, and a warning says so (the same images must
 *       never serve as both, or the "test" accuracy is training accuracy); one without the other is an error;</li>
 *   <li>{@code vtab:DIR}: a VTAB-1k task folder: training on {@code train800val200.txt} (or train800 + val200),
 *       testing on {@code test.txt};</li>
 *   <li>{@code frames:DIR}: videos as folders of numbered frames (for clip models). With list files
 *       {@code DIR/train.txt} and {@code DIR/val.txt} (or {@code test.txt}) of {@code relative/video/path num_frames
 *       label} lines, paths relative to DIR, those are the splits; otherwise class folders DIR/CLASS/VIDEO/frames,
 *       split into {@code DIR/train} and {@code DIR/val} (or {@code DIR/test}) when those exist, as imagefolder.</li>
 * </ul>
 */
public record DataSpec(String kind, Path path) {
    public enum Split { TRAIN, TEST }

    /** An image folder without split folders gives every this-many-th image of each class to the test split (20%). */
    public static final int HOLD_OUT_EVERY = 5;
    private static final Logger LOG = Logger.getLogger(DataSpec.class.getName());

    public static DataSpec parse(String value) {
        int colon = value.indexOf(':');
        String kind = (colon < 0 ? value : value.substring(0, colon)).toLowerCase(Locale.ROOT);
        String path = colon < 0 ? "" : value.substring(colon + 1);
        switch (kind) {
            case "fashion-mnist":
                return new DataSpec(kind, Path.of(path.isEmpty() ? FashionMnist.DEBIAN_DIR : path));
            case "idx", "cifar10", "cifar100", "imagefolder", "vtab", "frames":
                if (path.isEmpty()) {
                    throw new IllegalArgumentException("--data " + value + ": a folder is missing (expected " + kind + ":PATH)");
                }
                return new DataSpec(kind, Path.of(path));
            default:
                throw new IllegalArgumentException("--data must be KIND:PATH with KIND one of idx, fashion-mnist, cifar10, "
                        + "cifar100, imagefolder, vtab, frames; got '" + value + "'");
        }
    }

    public Dataset open(Split split) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path + ": data folder not found (--data " + this + ")");
        }
        boolean train = split == Split.TRAIN;
        return switch (kind) {
            case "fashion-mnist" -> train ? FashionMnist.in(path).train() : FashionMnist.in(path).test();
            case "idx" -> new IdxDataset(idxFile(train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"),
                    idxFile(train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte"), null);
            case "cifar10" -> CifarDataset.cifar10(path, train);
            case "cifar100" -> CifarDataset.cifar100(path, train, true);
            case "imagefolder" -> imageFolder(split);
            case "vtab" -> train ? Vtab1k.fromLists(path).trainval() : Vtab1k.testList(path);
            case "frames" -> frames(split);
            default -> throw new IllegalStateException(kind);
        };
    }

    /**
     * The number of classes a classifier trained on {@code trainSet} (this spec's training split) gets: at least two,
     * or the training would have nothing to learn (a softmax over one class gives loss 0 whatever the weights).
     */
    public int trainingClasses(Dataset trainSet) {
        List<String> names = trainSet.classNames();
        if (names.size() < 2) {
            throw new IllegalArgumentException("--data " + this + ": the training data have " + names.size() + " class"
                    + (names.isEmpty() ? "es" : " ('" + names.get(0) + "')") + "; a classifier needs at least 2"
                    + (kind.equals("imagefolder") || kind.equals("frames") ? " (one sub-folder per class)" : ""));
        }
        return names.size();
    }

    /** Whether the data are clips (frame-folder videos) rather than images. */
    public boolean isVideo() {
        return kind.equals("frames");
    }

    private Dataset frames(Split split) throws IOException {
        Path list = path.resolve("train.txt");
        if (Files.isRegularFile(list)) {
            Path file = split == Split.TRAIN ? list : firstFile("val.txt", "test.txt");
            if (file == null) {
                throw new NoSuchFileException(path.resolve("val.txt") + ": test list not found (frames:DIR with "
                        + "train.txt needs val.txt or test.txt)");
            }
            return FrameFolderDataset.listFile(path, file, null);
        }
        Path[] folders = splitFolders("video");
        if (folders == null) {
            return heldOut(FrameFolderDataset.classFolders(path, null), split, "video");
        }
        if (split == Split.TRAIN) {
            return FrameFolderDataset.classFolders(folders[0], null);
        }
        // The test split's labels follow the training split's class list, so a class missing from val/ keeps its index.
        List<String> classes = FrameFolderDataset.classFolders(folders[0], null).classNames();
        return FrameFolderDataset.classFolders(folders[1], classes);
    }

    private Path firstFile(String... names) {
        for (String n : names) {
            if (Files.isRegularFile(path.resolve(n))) {
                return path.resolve(n);
            }
        }
        return null;
    }

    private Path idxFile(String stem) throws IOException {
        for (String name : new String[] {stem + ".gz", stem}) {
            if (Files.isRegularFile(path.resolve(name))) {
                return path.resolve(name);
            }
        }
        throw new NoSuchFileException(path.resolve(stem + ".gz") + ": IDX file not found (--data " + this + ")");
    }

    private Dataset imageFolder(Split split) throws IOException {
        Path[] folders = splitFolders("image");
        if (folders == null) {
            return heldOut(new ImageFolderDataset(path), split, "image");
        }
        return new ImageFolderDataset(split == Split.TRAIN ? folders[0] : folders[1]);
    }

    /**
     * The split folders {@code DIR/train} and {@code DIR/val} (or {@code DIR/test}), or null when there are neither;
     * one without the other is an error ({@code what}: image or video, for the message).
     */
    private Path[] splitFolders(String what) throws IOException {
        Path trainDir = Files.isDirectory(path.resolve("train")) ? path.resolve("train") : null;
        Path testDir = null;
        for (String s : new String[] {"val", "test"}) {
            if (testDir == null && Files.isDirectory(path.resolve(s))) {
                testDir = path.resolve(s);
            }
        }
        if (trainDir != null && testDir != null) {
            return new Path[] {trainDir, testDir};
        }
        if (trainDir != null || testDir != null) {
            throw new NoSuchFileException(path + ": has a " + (trainDir != null ? "train/ folder but no val/ or test/"
                    : testDir.getFileName() + "/ folder but no train/") + " folder (--data " + this + "); give both split "
                    + "folders, or neither to hold out every " + HOLD_OUT_EVERY + "th " + what + " of each class as the test split");
        }
        return null;
    }

    /** The deterministic split of a folder without split folders: by position within each class, in sorted order. */
    private Dataset heldOut(Dataset all, Split split, String item) throws IOException {
        int[] seenOfClass = new int[all.classNames().size()];
        List<Integer> picked = new ArrayList<>();
        int test = 0;
        for (int i = 0; i < all.size(); i++) {
            boolean isTest = seenOfClass[all.label(i)]++ % HOLD_OUT_EVERY == HOLD_OUT_EVERY - 1;
            test += isTest ? 1 : 0;
            if (isTest == (split == Split.TEST)) {
                picked.add(i);
            }
        }
        if (test == 0) {
            throw new IOException(path + ": no class has " + HOLD_OUT_EVERY + " " + item + "s, too few to hold out a test split "
                    + "(--data " + this + "); add more, or give train/ and val/ folders");
        }
        LOG.warning(path + " has no train/ and val/ folders: every " + HOLD_OUT_EVERY + "th " + item + " of each class (" + test
                + " of " + all.size() + ") is held out as the test split, the others are the training split");
        String which = split == Split.TEST ? "held-out test split" : "training split";
        return new Subset(all, picked.stream().mapToInt(Integer::intValue).toArray(), which + ", " + picked.size() + " " + item + "s");
    }

    @Override
    public String toString() {
        return kind + ":" + path;
    }
}
