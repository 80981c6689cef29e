package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sparsetuning.data.DataFileException;

/**
 * Finds Fashion-MNIST (Zalando's 28×28 grayscale clothing images, 60 000 train + 10 000 test, 10 classes).
 * On Debian and Ubuntu the package {@value #DEBIAN_PACKAGE} installs it in {@value #DEBIAN_DIR}; any folder
 * holding the four files under their usual names ({@code train-images-idx3-ubyte} etc., gzipped or not)
 * works as well.
 */
public final class FashionMnist {
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path dir;

    private FashionMnist(Path dir) {
        this.dir = dir;
    }

    /** The Debian package's copy. */
    public static FashionMnist locate() throws IOException {
        return in(Path.of(DEBIAN_DIR));
    }

    /** The copy in {@code dir}; fails, saying how to get the data, when a file is missing. */
    public static FashionMnist in(Path dir) throws IOException {
        FashionMnist f = new FashionMnist(dir);
        for (String stem : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            f.file(stem);
        }
        return f;
    }

    /** Whether the Debian package's files are all there. */
    public static boolean isInstalled() {
        try {
            locate();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What to do when the data is missing. */
    public static String installHint() {
        return "install it with `sudo apt-get install " + DEBIAN_PACKAGE + "` (Debian/Ubuntu; it goes to " + DEBIAN_DIR
                + "), or point to a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz";
    }

    public Path dir() {
        return dir;
    }

    public IdxDataset train() throws IOException {
        return new IdxDataset(file("train-images-idx3-ubyte"), file("train-labels-idx1-ubyte"), CLASSES);
    }

    public IdxDataset test() throws IOException {
        return new IdxDataset(file("t10k-images-idx3-ubyte"), file("t10k-labels-idx1-ubyte"), CLASSES);
    }

    private Path file(String stem) throws IOException {
        for (String name : new String[] {stem + ".gz", stem}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new DataFileException("Fashion-MNIST not found: " + dir.resolve(stem + ".gz") + " is missing; " + installHint());
    }
}
