package org.sparsetuning.data.readers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.data.Sample;

class CifarDatasetTest {
    @TempDir
    Path dir;

    /** Records with the given label bytes; pixel j of record r holds (r·7 + j) mod 256. */
    static byte[] records(int recordBase, int[][] labelBytes) {
        int labelCount = labelBytes[0].length, rec = labelCount + 3072;
        byte[] out = new byte[labelBytes.length * rec];
        for (int r = 0; r < labelBytes.length; r++) {
            for (int k = 0; k < labelCount; k++) {
                out[r * rec + k] = (byte) labelBytes[r][k];
            }
            for (int j = 0; j < 3072; j++) {
                out[r * rec + labelCount + j] = (byte) (((recordBase + r) * 7 + j) % 256);
            }
        }
        return out;
    }

    static void assertPixels(Sample s, int record) {
        assertEquals(3, s.channels());
        assertEquals(32, s.height());
        assertEquals(32, s.width());
        for (int j : new int[] {0, 1, 1023, 1024, 2048, 3071}) {
            assertEquals(((record * 7 + j) % 256) / 255f, s.pixels()[j], "pixel " + j + " of record " + record);
        }
    }

    @Test
    void cifar10ReadsTheBatchesInOrderWithTheirNames() throws IOException {
        Path d = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        Files.write(d.resolve("data_batch_1.bin"), records(0, new int[][] {{3}, {9}}));
        Files.write(d.resolve("data_batch_2.bin"), records(2, new int[][] {{0}}));
        Files.write(d.resolve("test_batch.bin"), records(0, new int[][] {{5}}));
        Files.writeString(d.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n");
        CifarDataset train = CifarDataset.cifar10(dir, true);
        assertEquals(3, train.size());
        assertEquals(List.of(3, 9, 0), List.of(train.label(0), train.label(1), train.label(2)));
        assertEquals("cat", train.classNames().get(3));
        assertEquals(10, train.classNames().size());
        for (int i = 0; i < 3; i++) {
            assertPixels(train.get(i), i);
        }
        assertTrue(train.get(2).origin().endsWith("data_batch_2.bin#0"), train.get(2).origin());
        CifarDataset test = CifarDataset.cifar10(d, false);
        assertEquals(1, test.size());
        assertEquals(5, test.get(0).label());
    }

    @Test
    void cifar100ChoosesFineLabelsByDefaultAndCoarseOnRequest() throws IOException {
        Files.write(dir.resolve("train.bin"), records(0, new int[][] {{4, 72}, {19, 99}}));
        CifarDataset fine = CifarDataset.cifar100(dir, true, true);
        assertEquals(List.of(72, 99), List.of(fine.label(0), fine.label(1)));
        assertEquals(100, fine.classNames().size());
        assertEquals("72", fine.classNames().get(72), "numbers when fine_label_names.txt is absent");
        assertPixels(fine.get(1), 1);
        CifarDataset coarse = CifarDataset.cifar100(dir, true, false);
        assertEquals(List.of(4, 19), List.of(coarse.label(0), coarse.label(1)));
        assertEquals(20, coarse.classNames().size());
        assertEquals(72, fine.get(0).label());
    }

    @Test
    void namesFilesAreUsedAndChecked() throws IOException {
        Files.write(dir.resolve("test.bin"), records(0, new int[][] {{1, 2}}));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            names.append("class").append(i).append('\n');
        }
        Files.writeString(dir.resolve("fine_label_names.txt"), names);
        assertEquals("class2", CifarDataset.cifar100(dir, false, true).classNames().get(2));
        Files.writeString(dir.resolve("coarse_label_names.txt"), "only\ntwo\n");
        IOException e = assertThrows(IOException.class, () -> CifarDataset.cifar100(dir, false, false));
        assertTrue(e.getMessage().contains("coarse_label_names.txt: 2 class names, expected 20"), e.getMessage());
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        byte[] full = records(0, new int[][] {{1}, {2}});
        Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(full, full.length - 100));
        IOException e = assertThrows(IOException.class, () -> CifarDataset.cifar10(dir, true));
        assertTrue(e.getMessage().contains("data_batch_1.bin") && e.getMessage().contains("3073-byte")
                && e.getMessage().contains("1 complete"), e.getMessage());
    }

    @Test
    void cifar100FileReadAsCifar10IsCaught() throws IOException {
        // 3074-byte records read as 3073: sizes do not divide, or a label byte lands on a pixel > 9
        Files.write(dir.resolve("test_batch.bin"), records(0, new int[][] {{4, 72}}));
        IOException e = assertThrows(IOException.class, () -> CifarDataset.cifar10(dir, false));
        assertTrue(e.getMessage().contains("test_batch.bin"), e.getMessage());
        Files.write(dir.resolve("test_batch.bin"), records(0, new int[][] {{12}}));
        e = assertThrows(IOException.class, () -> CifarDataset.cifar10(dir, false));
        assertTrue(e.getMessage().contains("record 0 has label 12") && e.getMessage().contains("10 classes"), e.getMessage());
    }

    @Test
    void missingOrGappedBatchesAreNamed() throws IOException {
        IOException e = assertThrows(IOException.class, () -> CifarDataset.cifar10(dir, true));
        assertTrue(e.getMessage().contains("data_batch_"), e.getMessage());
        Files.write(dir.resolve("data_batch_1.bin"), records(0, new int[][] {{1}}));
        Files.write(dir.resolve("data_batch_3.bin"), records(0, new int[][] {{1}}));
        e = assertThrows(IOException.class, () -> CifarDataset.cifar10(dir, true));
        assertTrue(e.getMessage().contains("data_batch_2.bin: file not found"), e.getMessage());
        e = assertThrows(IOException.class, () -> CifarDataset.cifar100(dir, false, true));
        assertTrue(e.getMessage().contains("test.bin: file not found"), e.getMessage());
    }
}
