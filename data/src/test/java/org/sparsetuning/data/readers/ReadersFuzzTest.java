package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.nn.fuzz.FuzzHarness;

/**
 * Seeded mutations of small valid files through every data reader: each must read the file or refuse it with a
 * {@link DataFileException} naming the file, and never allocate more than the file could hold (for images: than
 * the pixel limit allows, which the fuzzed decoder is given small). Bounded: a few thousand mutants per reader.
 */
class ReadersFuzzTest {
    /** Fixed-size buffers: 64 KiB stream buffers, decoder tables, the image reader's lookup of plug-ins. */
    private static final long SLACK = 4L << 20;
    /** A small pixel limit for the fuzzed decoder, so that "within the limit" is still a small allocation. */
    private static final long FUZZ_MAX_PIXELS = 1 << 16;
    /** Per pixel: the decoder's raster (up to 4 bands of 16 bits, or floats) plus the sample's floats. */
    private static final long BYTES_PER_PIXEL = 64;

    /** Held, so the level set here stays on the logger the decoder uses. */
    private static final Logger DECODER_LOG = Logger.getLogger(ImageDecoder.class.getName());

    @TempDir
    Path dir;
    private Level decoderLevel;

    /** Mutated JPEGs make the decoder log thousands of "corrupt data" warnings that say nothing here. */
    @BeforeEach
    void quietDecoder() {
        decoderLevel = DECODER_LOG.getLevel();
        DECODER_LOG.setLevel(Level.SEVERE);
    }

    @AfterEach
    void restoreDecoder() {
        DECODER_LOG.setLevel(decoderLevel);
    }

    @Test
    void imagesAreDecodedOrRefusedCleanly() throws IOException {
        FuzzHarness h = new FuzzHarness(dir, "a.img", DataFileException.class,
                n -> 16 * n + BYTES_PER_PIXEL * FUZZ_MAX_PIXELS + SLACK);
        List<byte[]> seeds = List.of(
                image(TestImages.noise(7, 5, 1), "png"),
                image(TestImages.gray16(3, 2), "png"),
                image(TestImages.palette(4, 1, false), "png"),
                image(TestImages.noise(9, 8, 2), "jpg"),
                image(TestImages.noise(5, 3, 3), "bmp"),
                image(TestImages.palette(4, 1, true), "gif"),
                image(TestImages.noise(3, 4, 4), "tiff"));
        long seed = 100;
        for (byte[] valid : seeds) {
            h.run(valid, 500, seed++, f -> ImageDecoder.decode(f, 0, f.toString(), FUZZ_MAX_PIXELS));
        }
        assertClean(h);
    }

    @Test
    void idxFilesAreReadOrRefusedCleanly() throws IOException {
        byte[] raw = IdxDatasetTest.images();
        FuzzHarness h = new FuzzHarness(dir, "images-idx3-ubyte", DataFileException.class, n -> 4 * n + SLACK);
        h.run(raw, 2000, 200, f -> IdxFile.read(f, 3, "images [N, H, W]"));
        assertClean(h);
        // Decompressed content can be up to deflate's 1032:1 larger than the file.
        FuzzHarness gz = new FuzzHarness(dir, "images-idx3-ubyte.gz", DataFileException.class, n -> 2 * 1032 * n + SLACK);
        gz.run(IdxDatasetTest.gzip(raw), 2000, 201, f -> IdxFile.read(f, 3, "images [N, H, W]"));
        assertClean(gz);
    }

    @Test
    void cifarBatchesAreReadOrRefusedCleanly() throws IOException {
        byte[] valid = CifarDatasetTest.records(0, new int[][] {{3}, {9}});
        FuzzHarness h = new FuzzHarness(dir, "data_batch_1.bin", DataFileException.class, n -> 4 * n + SLACK);
        h.run(valid, 2000, 300, f -> {
            CifarDataset d = new CifarDataset(List.of(f), CifarDataset.Labels.CIFAR10);
            d.get(d.size() - 1);
        });
        assertClean(h);
    }

    @Test
    void listFilesAreReadOrRefusedCleanly() throws IOException {
        TestImages.write(TestImages.gray(3, 2, 0), "png", dir.resolve("images/a b.png"));
        byte[] valid = "images/a b.png 3\n\n  images/a b.png\t1  \nimages/a b.png 0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // Labels imply the class names "0" ... "max": up to 100 000 short strings whatever the file's size.
        FuzzHarness h = new FuzzHarness(dir, "train800.txt", DataFileException.class,
                n -> 64 * n + 64L * (ListFileDataset.MAX_LABEL + 1) + SLACK);
        h.run(valid, 2000, 400, f -> new ListFileDataset(dir, f, null));
        assertTrue(h.problems().isEmpty(), h.problems());
        // Most mutants of a list file are still a list file (with other paths or labels): no share of refusals is required.
        assertTrue(h.rejected() > 0, "no mutant was refused");
    }

    private byte[] image(BufferedImage img, String format) throws IOException {
        return Files.readAllBytes(TestImages.write(img, format, dir.resolve("seed." + format)));
    }

    private static void assertClean(FuzzHarness h) {
        assertEquals("", h.problems(), "readers misbehaved on mutated files");
        assertTrue(h.rejected() > h.runs() / 4, "most mutants should be refused, only " + h.rejected() + " of " + h.runs() + " were");
    }
}
