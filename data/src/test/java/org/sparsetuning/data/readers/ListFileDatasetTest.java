package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.DataFileException;

class ListFileDatasetTest {
    @TempDir
    Path root;

    @Test
    void readsPathsWithSpacesAndSkipsBlankLines() throws IOException {
        TestImages.write(TestImages.gray(3, 2, 0), "png", root.resolve("images/a b.png"));
        TestImages.write(TestImages.flat(4, 4, 0, 0, 0), "jpg", root.resolve("images/c.jpg"));
        Path list = Files.writeString(root.resolve("train800.txt"), "images/a b.png 3\n\n  images/c.jpg\t1  \n");
        ListFileDataset d = new ListFileDataset(root, list, null);
        assertEquals(2, d.size());
        assertEquals(List.of("0", "1", "2", "3"), d.classNames());
        assertEquals(3, d.label(0));
        assertEquals(root.resolve("images/a b.png"), d.file(0));
        assertEquals(list + ":3", d.where(1));
        assertEquals(3, d.get(0).width());
        assertEquals(1, d.get(1).label());
    }

    @Test
    void badLinesAreReportedWithFileAndLine() throws IOException {
        Path list = Files.writeString(root.resolve("val200.txt"), "images/a.png 0\nimages/b.png\nimages/c.png -1\nimages/d.png x\nimages/e.png 2\n");
        IOException e = assertThrows(IOException.class, () -> new ListFileDataset(root, list, null));
        String m = e.getMessage();
        assertTrue(m.contains(list + ":2: expected 'relative/path label'") && m.contains("got 'images/b.png'"), m);
        assertTrue(m.contains(list + ":3:") && m.contains(list + ":4:") && !m.contains(":5:"), m);
    }

    /** Found by fuzzing: invalid UTF-8 was reported as a bare "Input length = 1". */
    @Test
    void invalidUtf8IsReportedWithFileAndLine() throws IOException {
        Path list = Files.write(root.resolve("bad.txt"), new byte[] {'a', '.', 'p', 'n', 'g', ' ', '0', '\n', 'b', (byte) 0xC3, ' ', '1', '\n'});
        IOException e = assertThrows(DataFileException.class, () -> new ListFileDataset(root, list, null));
        assertEquals(list + ":2: not valid UTF-8 text (list file lines must be UTF-8)", e.getMessage());
    }

    /** Found by fuzzing: a label of 2147483646 made the reader build two billion class names. */
    @Test
    void hugeLabelsAreBadLines() throws IOException {
        Path list = Files.writeString(root.resolve("huge.txt"), "a.png 0\nb.png 2147483646\n");
        IOException e = assertThrows(DataFileException.class, () -> new ListFileDataset(root, list, null));
        assertEquals(list + ":2: expected 'relative/path label' (label an integer from 0 to 99999), got 'b.png 2147483646'", e.getMessage());
    }

    @Test
    void labelsBeyondTheGivenClassesAreReported() throws IOException {
        Path list = Files.writeString(root.resolve("test.txt"), "a.png 0\nb.png 5\n");
        IOException e = assertThrows(IOException.class, () -> new ListFileDataset(root, list, List.of("x", "y")));
        assertTrue(e.getMessage().contains(list + ":2: label 5") && e.getMessage().contains("only 2 classes"), e.getMessage());
    }

    @Test
    void missingImagesNameTheirListLine() throws IOException {
        Path list = Files.writeString(root.resolve("test.txt"), "images/gone.png 0\n");
        ListFileDataset d = new ListFileDataset(root, list, null);
        IOException e = assertThrows(IOException.class, () -> d.get(0));
        assertTrue(e.getMessage().contains("gone.png") && e.getMessage().contains("listed at " + list + ":1")
                && e.getMessage().contains("file not found"), e.getMessage());
        IOException none = assertThrows(IOException.class, () -> new ListFileDataset(root, root.resolve("nope.txt"), null));
        assertTrue(none.getMessage().contains("nope.txt: list file not found"), none.getMessage());
        Path empty = Files.writeString(root.resolve("empty.txt"), "\n\n");
        IOException noEntries = assertThrows(IOException.class, () -> new ListFileDataset(root, empty, null));
        assertTrue(noEntries.getMessage().contains("no entries"), noEntries.getMessage());
    }
}
