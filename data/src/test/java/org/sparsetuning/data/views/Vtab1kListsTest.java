package org.sparsetuning.data.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.readers.TestImages;

class Vtab1kListsTest {
    @TempDir
    Path root;

    @Test
    void readsThePublishedSplitWithOneClassNumbering() throws IOException {
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("images/0.png"));
        TestImages.write(TestImages.gray(2, 2, 9), "png", root.resolve("images/1.png"));
        Files.writeString(root.resolve("train800.txt"), "images/0.png 0\nimages/1.png 1\n");
        Files.writeString(root.resolve("val200.txt"), "images/1.png 1\n");
        Files.writeString(root.resolve("test.txt"), "images/0.png 4\n");
        Vtab1k.Split s = Vtab1k.fromLists(root);
        assertEquals(2, s.train().size());
        assertEquals(1, s.val().size());
        assertEquals(3, s.trainval().size(), "train + val when train800val200.txt is absent");
        assertEquals(5, s.train().classNames().size(), "classes counted over all lists, test included");
        Dataset test = Vtab1k.testList(root);
        assertEquals(s.train().classNames(), test.classNames());
        assertEquals(4, test.get(0).label());
        Files.writeString(root.resolve("train800val200.txt"), "images/0.png 0\n");
        assertEquals(1, Vtab1k.fromLists(root).trainval().size());
    }

    @Test
    void aBadLineInAnyListStopsWithItsPlace() throws IOException {
        Files.writeString(root.resolve("train800.txt"), "images/0.png 0\n");
        Files.writeString(root.resolve("val200.txt"), "images/1.png one\n");
        IOException e = assertThrows(IOException.class, () -> Vtab1k.fromLists(root));
        assertTrue(e.getMessage().contains(root.resolve("val200.txt") + ":1:"), e.getMessage());
        IOException none = assertThrows(IOException.class, () -> Vtab1k.fromLists(root.resolve("empty")));
        assertTrue(none.getMessage().contains("no VTAB-1k list files"), none.getMessage());
    }
}
