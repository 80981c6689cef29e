package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.DataFileException;
import org.sparsetuning.data.LogCapture;

class ImageFolderDatasetTest {
    @TempDir
    Path root;

    /** cat/ (2 PNG + a nested JPEG), dog/ (1 JPEG, 1 PNG, junk and hidden files), and an empty-named file. */
    void buildFolder() throws IOException {
        TestImages.write(TestImages.rgb(4, 3, 0, 0, 0), "png", root.resolve("cat/b.png"));
        TestImages.write(TestImages.gray(4, 3, 0), "png", root.resolve("cat/a.PNG"));
        TestImages.write(TestImages.flat(4, 3, 1, 2, 3), "jpg", root.resolve("cat/sub/c.jpeg"));
        TestImages.write(TestImages.flat(5, 5, 9, 9, 9), "jpg", root.resolve("dog/x.jpg"));
        TestImages.write(TestImages.rgba(2, 2), "png", root.resolve("dog/y.png"));
        Files.writeString(root.resolve("dog/notes.txt"), "not an image");
        Files.writeString(root.resolve("dog/._x.jpg"), "macOS resource fork");
        TestImages.write(TestImages.rgb(2, 2, 0, 0, 0), "png", root.resolve("dog/.thumbs/t.png"));
        Files.writeString(root.resolve("README"), "a file at the top is not a class");
    }


    /** Found by fuzzing: a link back to a folder above it ended as a raw FileSystemLoopException. */
    @Test
    void aSymbolicLinkLoopIsNamed() throws IOException {
        TestImages.write(TestImages.rgb(4, 3, 0, 0, 0), "png", root.resolve("cat/a.png"));
        Path link = Files.createSymbolicLink(root.resolve("cat/sub"), root.resolve("cat"));
        IOException e = assertThrows(DataFileException.class, () -> new ImageFolderDataset(root));
        assertEquals(link + ": symbolic link loop: it leads back to a folder above it (in class folder " + root.resolve("cat")
                + "); remove the link or point it elsewhere", e.getMessage());
    }

    /** Files that are not images are left out, but not silently: one warning counts them and names the first. */
    @Test
    void filesThatAreNotImagesAreCountedInOneWarning() throws IOException {
        buildFolder();
        Files.writeString(root.resolve("cat/sub/labels.csv"), "a,b");
        List<String> said;
        try (LogCapture log = new LogCapture(ImageFolderDataset.class)) {
            assertEquals(5, new ImageFolderDataset(root).size());
            said = log.messages();
        }
        // hidden files (dog/._x.jpg, dog/.thumbs/) and files beside the class folders (README) are not counted
        assertEquals(List.of(root + ": ignored 2 files in class folders that are not images by extension (bmp, jpeg, jpg, "
                + "png, tif, tiff), the first " + root.resolve("cat/sub/labels.csv")), said);
    }

    @Test
    void classesAreSortedFoldersAndFilesAreFoundByExtension() throws IOException {
        buildFolder();
        ImageFolderDataset d = new ImageFolderDataset(root);
        assertEquals(List.of("cat", "dog"), d.classNames());
        List<String> files = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            files.add(d.label(i) + " " + root.relativize(d.file(i)));
        }
        // torchvision order: class by class, folders by path, files by name (upper case sorts first)
        assertEquals(List.of("0 cat/a.PNG", "0 cat/b.png", "0 cat/sub/c.jpeg", "1 dog/x.jpg", "1 dog/y.png"), files);
        assertEquals(1, d.get(0).channels(), "grayscale PNG");
        assertEquals(3, d.get(1).channels());
        assertEquals(0, d.get(2).label());
        assertEquals(5, d.get(3).width());
        assertEquals(1, d.get(4).label());
    }

    @Test
    void aFixedClassListKeepsTrainAndValidationLabelsAligned() throws IOException {
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("dog/v.png"));
        ImageFolderDataset val = new ImageFolderDataset(root, List.of("cat", "dog", "eel"));
        assertEquals(1, val.size());
        assertEquals(1, val.label(0));
        assertEquals(3, val.classNames().size());
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("fox/v.png"));
        IOException e = assertThrows(IOException.class, () -> new ImageFolderDataset(root, List.of("cat", "dog")));
        assertTrue(e.getMessage().contains("folder 'fox' is not one of the 2 classes"), e.getMessage());
    }

    @Test
    void emptyOrMissingFoldersAreErrors() throws IOException {
        IOException e = assertThrows(IOException.class, () -> new ImageFolderDataset(root.resolve("nope")));
        assertTrue(e.getMessage().contains("nope: not a folder"), e.getMessage());
        e = assertThrows(IOException.class, () -> new ImageFolderDataset(root));
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("a/1.png"));
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/readme.txt"), "no images here");
        e = assertThrows(IOException.class, () -> new ImageFolderDataset(root));
        assertTrue(e.getMessage().contains(root.resolve("b") + ": no image files") && e.getMessage().contains("class 'b'"), e.getMessage());
    }

    @Test
    void formatsJavaCannotDecodeAreNotQuietlyDropped() throws IOException {
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("a/1.png"));
        Files.write(root.resolve("a/2.webp"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> new ImageFolderDataset(root));
        assertTrue(e.getMessage().contains("2.webp") && e.getMessage().contains("convert"), e.getMessage());
    }

    @Test
    void aCorruptImageIsReportedWhenRead() throws IOException {
        TestImages.write(TestImages.gray(2, 2, 0), "png", root.resolve("a/1.png"));
        Files.writeString(root.resolve("a/2.jpg"), "corrupt");
        ImageFolderDataset d = new ImageFolderDataset(root);
        assertEquals(2, d.size(), "the file looks like an image until it is decoded");
        IOException e = assertThrows(IOException.class, () -> d.get(1));
        assertTrue(e.getMessage().startsWith(root.resolve("a/2.jpg") + ": cannot decode"), e.getMessage());
    }
}
