package org.sparsetuning.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.readers.CifarDataset;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.data.readers.IdxDataset;
import org.sparsetuning.data.readers.ImageFolderDataset;
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
 *       {@code DIR/test}) those are the splits, otherwise DIR serves both;</li>
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
            case "imagefolder" -> new ImageFolderDataset(imageFolder(train));
            case "vtab" -> train ? Vtab1k.fromLists(path).trainval() : Vtab1k.testList(path);
            case "frames" -> frames(train);
            default -> throw new IllegalStateException(kind);
        };
    }

    /** Whether the data are clips (frame-folder videos) rather than images. */
    public boolean isVideo() {
        return kind.equals("frames");
    }

    private Dataset frames(boolean train) throws IOException {
        Path list = path.resolve("train.txt");
        if (Files.isRegularFile(list)) {
            Path split = train ? list : firstFile("val.txt", "test.txt");
            if (split == null) {
                throw new NoSuchFileException(path.resolve("val.txt") + ": test list not found (frames:DIR with "
                        + "train.txt needs val.txt or test.txt)");
            }
            return FrameFolderDataset.listFile(path, split, null);
        }
        Path dir = imageFolder(train);
        List<String> classes = null;
        if (!train && !dir.equals(path) && Files.isDirectory(path.resolve("train"))) {
            classes = FrameFolderDataset.classFolders(path.resolve("train"), null).classNames();
        }
        return FrameFolderDataset.classFolders(dir, classes);
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

    private Path imageFolder(boolean train) {
        if (train && Files.isDirectory(path.resolve("train"))) {
            return path.resolve("train");
        }
        if (!train) {
            for (String s : new String[] {"val", "test"}) {
                if (Files.isDirectory(path.resolve(s))) {
                    return path.resolve(s);
                }
            }
        }
        return path;
    }

    @Override
    public String toString() {
        return kind + ":" + path;
    }
}
