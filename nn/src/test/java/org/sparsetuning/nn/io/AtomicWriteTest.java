package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.Tensor;

/** A write that fails partway leaves the previous file byte-identical and no temporary file behind. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private Path target;
    private byte[] before;

    private void writeOriginal() throws IOException {
        target = dir.resolve("ckpt.safetensors");
        SafetensorsWriter.writeFile(target, Map.of("old", Tensor.of(new float[] {1, 2, 3}, 3)));
        before = Files.readAllBytes(target);
    }

    private List<Path> dirListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(before, Files.readAllBytes(target), "the previous file must be unchanged");
        assertEquals(List.of(target), dirListing(), "no temporary file may remain");
    }

    @Test
    void releasedStorageMidwayLeavesOldFile() throws IOException {
        writeOriginal();
        Tensor released = Tensor.of(new float[] {4, 5}, 2);
        released.close();
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("first", Tensor.of(new float[1000], 1000)); // written before the failure
        m.put("gone", released);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SafetensorsWriter.writeFile(target, m));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertUntouched();
    }

    @Test
    void injectedIoErrorMidwayLeavesOldFile() throws IOException {
        writeOriginal();
        SafetensorsWriter w = new SafetensorsWriter();
        w.hook = name -> {
            if (name.equals("second")) {
                throw new IOException("disk full (injected)");
            }
        };
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("first", Tensor.of(new float[] {7}, 1));
        m.put("second", Tensor.of(new float[] {8}, 1));
        m.put("third", Tensor.of(new float[] {9}, 1));
        IOException e = assertThrows(IOException.class, () -> w.write(target, m));
        assertEquals("disk full (injected)", e.getMessage());
        assertUntouched();
    }

    @Test
    void successReplacesTheFileAndLeavesNothingElse() throws IOException {
        writeOriginal();
        SafetensorsWriter.writeFile(target, Map.of("new", Tensor.of(new float[] {5}, 1)));
        assertEquals(List.of(target), dirListing());
        assertEquals(List.of("new"), List.copyOf(SafetensorsReader.read(target).tensors().keySet()));
    }

    @Test
    void missingDirectoryIsAnErrorNotAPartialFile() {
        Path nowhere = dir.resolve("no/such/dir/x.safetensors");
        assertThrows(IOException.class, () -> SafetensorsWriter.writeFile(nowhere, Map.of("a", Tensor.scalar(1))));
        assertTrue(Files.notExists(dir.resolve("no")));
    }
}
