package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.nn.io.IoBytes.dict;
import static org.sparsetuning.nn.io.IoBytes.entries;
import static org.sparsetuning.nn.io.IoBytes.f32;
import static org.sparsetuning.nn.io.IoBytes.i64;
import static org.sparsetuning.nn.io.IoBytes.npy;
import static org.sparsetuning.nn.io.IoBytes.zip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** .npz archives built here with java.util.zip, and ones numpy wrote with savez / savez_compressed. */
class NpzReaderTest {
    private static final String KERNEL = "Transformer/encoderblock_0/MlpBlock_3/Dense_0/kernel";

    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path p = dir.resolve("a.npz");
        Files.write(p, content);
        return p;
    }

    private static Map<String, byte[]> sampleEntries() {
        return entries(
                KERNEL + ".npy", npy(1, dict("<f4", false, "(2, 2)"), f32(1, 2, 3, 4)),
                "cls.npy", npy(1, dict("<f4", false, "(1, 1, 3)"), f32(-1, 0, 1)),
                "labels.npy", npy(1, dict("<i8", false, "(3,)"), i64(0, 5, 9)));
    }

    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {false, true})
    void readsEntriesInArchiveOrderWithoutSuffix(boolean deflate) throws IOException {
        Path p = file(zip(sampleEntries(), deflate));
        assertEquals(List.of(KERNEL, "cls", "labels"), NpzReader.keys(p));
        Map<String, Tensor> t = NpzReader.read(p);
        assertEquals(List.of(KERNEL, "cls", "labels"), List.copyOf(t.keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4}, t.get(KERNEL).toFloatArray());
        assertArrayEquals(new int[] {1, 1, 3}, t.get("cls").shape());
        assertEquals(DType.I32, t.get("labels").dtype());
        assertArrayEquals(new int[] {0, 5, 9}, t.get("labels").toIntArray());
        assertEquals(List.of("cls"), List.copyOf(NpzReader.read(p, "cls"::equals).keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"numpy_stored.npz", "numpy_deflated.npz"})
    void filesWrittenByNumpy(String name) throws Exception {
        Path p = Path.of(getClass().getResource("/io/" + name).toURI());
        Map<String, Tensor> t = NpzReader.read(p);
        assertEquals(List.of("Transformer/encoderblock_0/LayerNorm_0/scale", "f8", "f2", "i4", "i8", "u1", "b1", "scalar", "empty"),
                List.copyOf(t.keySet()));
        Tensor scale = t.get("Transformer/encoderblock_0/LayerNorm_0/scale");
        assertArrayEquals(new int[] {2, 3}, scale.shape());
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}, scale.toFloatArray());
        assertArrayEquals(new float[] {0, 1f / 3, 2f / 3, 1}, t.get("f8").toFloatArray());
        assertArrayEquals(new float[] {1, -2.5f, 65504, 0x1p-24f}, t.get("f2").toFloatArray());
        assertArrayEquals(new int[] {3, 2}, t.get("i4").shape());
        assertArrayEquals(new int[] {-3, -2, -1, 0, 1, 2}, t.get("i4").toIntArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}, t.get("i8").toIntArray());
        assertArrayEquals(new int[] {0, 200, 255}, t.get("u1").toIntArray());
        assertArrayEquals(new int[] {1, 0, 1}, t.get("b1").toIntArray());
        assertEquals(0, t.get("scalar").dim());
        assertEquals(7.25, t.get("scalar").item());
        assertArrayEquals(new int[] {0, 3}, t.get("empty").shape());
    }

    private void assertRefused(Path p, String key, String problem) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> NpzReader.read(p));
        String msg = e.getMessage();
        assertTrue(msg.contains(p.toString()), "message does not name the file: " + msg);
        if (key != null) {
            assertTrue(msg.contains("'" + key + "'"), "message does not name the key: " + msg);
        }
        assertTrue(msg.contains(problem), "message does not say '" + problem + "': " + msg);
    }

    @Test
    void notAZip() throws IOException {
        assertRefused(file(npy(1, dict("<f4", false, "(1,)"), f32(1))), null, "not a readable zip");
    }

    @Test
    void entryThatIsNotAnArray() throws IOException {
        assertRefused(file(zip(entries("readme.txt", new byte[] {'h', 'i'}), false)), "readme.txt", "not a .npy array");
    }

    @Test
    void badMagicInsideAnEntry() throws IOException {
        assertRefused(file(zip(entries("w.npy", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}), true)), "w", "bad magic");
    }

    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {false, true})
    void truncatedArrayInsideAnEntry(boolean deflate) throws IOException {
        byte[] shortData = npy(1, dict("<f4", false, "(4,)"), f32(1, 2));
        assertRefused(file(zip(entries("w.npy", shortData), deflate)), "w", "needs 16 data bytes, but 8 follow the header");
    }

    @Test
    void shapeSizeMismatchInsideAnEntry() throws IOException {
        byte[] longData = npy(1, dict("<f4", false, "(1,)"), f32(1, 2, 3));
        assertRefused(file(zip(entries("w.npy", longData), false)), "w", "needs 4 data bytes, but 12 follow the header");
    }

    @Test
    void corruptedStoredDataFailsTheCrc() throws IOException {
        byte[] z = zip(entries("w.npy", npy(1, dict("<f4", false, "(4,)"), f32(1, 2, 3, 4))), false);
        // The stored payload's last float lies just before the central directory; flip one of its bytes.
        int at = indexOf(z, f32(4));
        z[at] ^= 0x01;
        assertRefused(file(z), "w", "CRC mismatch");
    }

    @Test
    void corruptedDeflatedDataIsRefused() throws IOException {
        byte[] z = zip(entries("w.npy", npy(1, dict("<f4", false, "(64,)"), f32(new float[64]))), true);
        // Local header is 30 bytes + name (5); damage the middle of the compressed stream.
        z[30 + 5 + 10] ^= (byte) 0xFF;
        // Depending on where the damage lands, inflation fails, the header no longer parses, or the CRC
        // differs: any of these, but always a format error naming the key.
        Path p = file(z);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> NpzReader.read(p));
        assertTrue(e.getMessage().contains(p + ": key 'w'"), e.getMessage());
    }

    /** Found by fuzzing: the entry's shape was trusted, and 8 GB allocated before its data was read. */
    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {false, true})
    void hugeShapeInASmallEntryIsRefusedBeforeAllocating(boolean deflate) throws IOException {
        byte[] lying = npy(1, dict("<f4", false, "(2147483647,)"), f32(1));
        assertRefused(file(zip(entries("w.npy", lying), deflate)), "w", "needs 8589934588 data bytes, but 4 follow the header");
    }

    @Test
    void anEntryClaimingMoreThanDeflateCanProduceIsRefused() throws IOException {
        byte[] z = zip(entries("w.npy", npy(1, dict("<f4", false, "(4,)"), f32(1, 2, 3, 4))), true);
        // The central directory's uncompressed size (offset 24 of the entry's record) raised to 2 GB.
        int cen = indexOf(z, new byte[] {'P', 'K', 1, 2});
        IoBytes.le(4).putInt(Integer.MAX_VALUE).flip().get(z, cen + 24, 4);
        assertRefused(file(z), "w", "more than deflate can produce");
    }

    /** Found by fuzzing: a cut-off archive ended as a bare EOFException naming neither file nor problem. */
    @ParameterizedTest(name = "deflated={0}")
    @ValueSource(booleans = {false, true})
    void truncatedArchivesNameTheFile(boolean deflate) throws IOException {
        byte[] z = zip(sampleEntries(), deflate);
        for (int cut = 1; cut < z.length; cut += 7) {
            Path p = file(java.util.Arrays.copyOf(z, cut));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> NpzReader.read(p), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
    }

    @Test
    void duplicateKeys() throws IOException {
        // java.util.zip refuses to write one name twice, so two entries are written under distinct names of
        // equal length and one is renamed in the raw bytes (local and central headers alike).
        byte[] z = zip(entries("w.npy", npy(1, dict("<f4", false, "(1,)"), f32(1)),
                "v.npy", npy(1, dict("<f4", false, "(1,)"), f32(2))), false);
        replaceAll(z, "v.npy".getBytes(), "w.npy".getBytes());
        assertRefused(file(z), "w", "appears twice");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    private static void replaceAll(byte[] hay, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= hay.length; i++) {
            if (java.util.Arrays.equals(hay, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, hay, i, to.length);
            }
        }
    }
}
