package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.LogCapture;

/** How {@code imagefolder:DIR} splits into training and test data. */
class DataSpecSplitTest {
    @TempDir
    Path dir;

    private Path folder(String split, int perClass) throws IOException {
        Path root = split == null ? dir : dir.resolve(split);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < perClass; i++) {
                AppFixtures.png(root.resolve("class" + c).resolve("img" + i + ".png"), c, 4, 10L * c + i);
            }
        }
        return dir;
    }

    private static Set<String> sources(Dataset d) throws IOException {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(d.get(i).origin());
        }
        return out;
    }

    /** The file names of the examples of class {@code label}. */
    private static Set<String> names(Dataset d, int label) throws IOException {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            if (d.label(i) == label) {
                out.add(Path.of(d.get(i).origin()).getFileName().toString());
            }
        }
        return out;
    }

    /** Found in review: without split folders the same images were both training and test data, silently. */
    @Test
    void aFolderWithoutSplitsHoldsOutEveryFifthImageAndSaysSo() throws IOException {
        folder(null, 11);
        List<String> warnings;
        try (LogCapture log = new LogCapture(DataSpec.class)) {
            DataSpec spec = DataSpec.parse("imagefolder:" + dir);
            Dataset train = spec.open(DataSpec.Split.TRAIN);
            Dataset test = spec.open(DataSpec.Split.TEST);
            assertEquals(18, train.size());
            assertEquals(4, test.size(), "images 5 and 10 of each class (1-based)");
            Set<String> overlap = sources(train);
            overlap.retainAll(sources(test));
            assertEquals(Set.of(), overlap, "no image is in both splits");
            // Files sort by name (img0, img1, img10, img2, img3, ...): the 5th and 10th are img3 and img8.
            assertEquals(Set.of("img3.png", "img8.png"), names(test, 1));
            assertEquals(sources(test), sources(spec.open(DataSpec.Split.TEST)), "the split is the same every time");
            warnings = log.messages();
        }
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("every 5th image of each class (4 of 22) is held out as the test split"), warnings.get(0));
    }

    @Test
    void oneSplitFolderWithoutTheOtherIsAnError() throws IOException {
        folder("train", 2);
        IOException e = assertThrows(IOException.class, () -> DataSpec.parse("imagefolder:" + dir).open(DataSpec.Split.TEST));
        assertEquals(dir + ": has a train/ folder but no val/ or test/ folder (--data imagefolder:" + dir + "); give both split "
                + "folders, or neither to hold out every 5th image of each class as the test split", e.getMessage());
    }

    @Test
    void splitFoldersAreUsedAsTheyAre() throws IOException {
        folder("train", 3);
        folder("val", 1);
        DataSpec spec = DataSpec.parse("imagefolder:" + dir);
        assertEquals(6, spec.open(DataSpec.Split.TRAIN).size());
        assertEquals(2, spec.open(DataSpec.Split.TEST).size());
    }
}
