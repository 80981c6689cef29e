package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.Sample;

class FashionMnistTest {
    @Test
    void missingDataSaysHowToInstallIt(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.in(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("apt-get install dataset-fashion-mnist"),
                e.getMessage());
    }

    @Test
    void findsUncompressedCopiesToo(@TempDir Path dir) throws IOException {
        byte[] img = IdxDatasetTest.idx(new int[] {1, 28, 28}, new byte[784]);
        byte[] lab = IdxDatasetTest.idx(new int[] {1}, new byte[] {9});
        Files.write(dir.resolve("train-images-idx3-ubyte"), img);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), lab);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxDatasetTest.gzip(img));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxDatasetTest.gzip(lab));
        FashionMnist f = FashionMnist.in(dir);
        assertEquals("Ankle boot", f.train().classNames().get(f.train().label(0)));
        assertEquals(1, f.test().size());
    }

    /**
     * Whether the Debian package must be there: on CI (env CI=true, set by .ci/run, whose test command installs it) or
     * with -Dfashion-mnist.required=true. Elsewhere its absence skips the test, with the reason.
     */
    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || Boolean.getBoolean("fashion-mnist.required");
    }

    /** The Debian package's files (they are 30 MB: not something to fake). */
    @Test
    void readsTheInstalledDebianPackage() throws IOException {
        if (required()) {
            assertTrue(FashionMnist.isInstalled(), "Fashion-MNIST is required here (CI=true or -Dfashion-mnist.required=true) "
                    + "but " + FashionMnist.DEBIAN_DIR + " is incomplete; `./sparse-tune test` installs " + FashionMnist.DEBIAN_PACKAGE);
        }
        assumeTrue(FashionMnist.isInstalled(), "dataset-fashion-mnist is not installed");
        FashionMnist f = FashionMnist.locate();
        IdxDataset train = f.train(), test = f.test();
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(10, train.classNames().size());
        // Both files start with an ankle boot (label 9), as numpy reads them from the same files.
        assertEquals(9, train.label(0));
        assertEquals(9, test.label(0));
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        for (int c : perClass) {
            assertEquals(6000, c);
        }
        Sample s = train.get(0);
        assertEquals("1x28x28", s.channels() + "x" + s.height() + "x" + s.width());
    }
}
