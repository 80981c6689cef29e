package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.Sample;

class IdxDatasetTest {
    @TempDir
    Path dir;

    /** An IDX file: magic 0x0000080R, the dimensions, then {@code data}. */
    static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.writeInt(0x00000800 | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return buf.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(buf)) {
            out.write(raw);
        }
        return buf.toByteArray();
    }

    /** Three 2×3 images whose pixel j of image i is 10·i + j, labels 2, 0, 1. */
    static byte[] images() throws IOException {
        byte[] px = new byte[3 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (10 * (i / 6) + i % 6);
        }
        px[17] = (byte) 255;
        return idx(new int[] {3, 2, 3}, px);
    }

    static byte[] labels() throws IOException {
        return idx(new int[] {3}, new byte[] {2, 0, 1});
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        IdxDataset plain = new IdxDataset(write("img", images()), write("lab", labels()), null);
        IdxDataset gz = new IdxDataset(write("img.gz", gzip(images())), write("lab.gz", gzip(labels())), List.of("a", "b", "c"));
        for (IdxDataset d : List.of(plain, gz)) {
            assertEquals(3, d.size());
            assertEquals(2, d.label(0));
            assertEquals(1, d.label(2));
            Sample s = d.get(2);
            assertEquals(1, s.channels());
            assertEquals(2, s.height());
            assertEquals(3, s.width());
            assertEquals(1, s.label());
            float[] expected = {20 / 255f, 21 / 255f, 22 / 255f, 23 / 255f, 24 / 255f, 1f};
            assertArrayEquals(expected, s.pixels());
            assertTrue(s.origin().endsWith("#2"), s.origin());
        }
        assertEquals(List.of("0", "1", "2"), plain.classNames());
        assertEquals(List.of("a", "b", "c"), gz.classNames());
        assertThrows(IndexOutOfBoundsException.class, () -> plain.get(3));
    }

    @Test
    void truncatedDataNamesTheFileAndTheExpectedSize() throws IOException {
        byte[] full = images();
        Path cut = write("cut-images", Arrays.copyOf(full, full.length - 5));
        IOException e = assertThrows(IOException.class, () -> new IdxDataset(cut, write("lab", labels()), null));
        assertTrue(e.getMessage().contains("cut-images") && e.getMessage().contains("truncated")
                && e.getMessage().contains("expected " + full.length), e.getMessage());
        Path header = write("cut-header", Arrays.copyOf(full, 9));
        e = assertThrows(IOException.class, () -> new IdxDataset(header, write("lab", labels()), null));
        assertTrue(e.getMessage().contains("cut-header") && e.getMessage().contains("header"), e.getMessage());
        Path extra = write("long-images", Arrays.copyOf(full, full.length + 1));
        e = assertThrows(IOException.class, () -> new IdxDataset(extra, write("lab", labels()), null));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = gzip(images());
        Path cut = write("images.gz", Arrays.copyOf(gz, gz.length / 2));
        IOException e = assertThrows(IOException.class, () -> new IdxDataset(cut, write("lab", labels()), null));
        assertTrue(e.getMessage().contains("images.gz") && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void badMagicSaysWhatWasExpected() throws IOException {
        // a labels file where images are expected, and a file that is not IDX at all
        IOException e = assertThrows(IOException.class, () -> new IdxDataset(write("swapped", labels()), write("lab", labels()), null));
        assertTrue(e.getMessage().contains("swapped") && e.getMessage().contains("bad magic number 0x00000801")
                && e.getMessage().contains("expected 0x00000803"), e.getMessage());
        byte[] text = "hello, world\n".getBytes();
        e = assertThrows(IOException.class, () -> new IdxDataset(write("img", images()), write("notes.txt", text), null));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("bad magic"), e.getMessage());
    }

    @Test
    void countsMustAgree() throws IOException {
        Path lab = write("four-labels", idx(new int[] {4}, new byte[] {0, 1, 2, 3}));
        IOException e = assertThrows(IOException.class, () -> new IdxDataset(write("img", images()), lab, null));
        assertTrue(e.getMessage().contains("four-labels: 4 labels") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void labelsMustBeNamedClasses() throws IOException {
        IOException e = assertThrows(IOException.class,
                () -> new IdxDataset(write("img", images()), write("lab", labels()), List.of("a", "b")));
        assertTrue(e.getMessage().contains("label 2 at record 0") && e.getMessage().contains("2 classes"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> new IdxDataset(dir.resolve("nope-images"), dir.resolve("nope-labels"), null));
        assertTrue(e.getMessage().contains("nope-images") && e.getMessage().contains("not found"), e.getMessage());
    }
}
