package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** Writer then reader: values, shapes, dtypes, order and metadata survive; the file layout is as specified. */
class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Generator g = new Generator(7);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z.weight", Tensor.randn(g, 3, 5));
        m.put("a.bias", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE}, 4));
        m.put("scalar", Tensor.of(new float[] {-1.5f}));
        m.put("empty", Tensor.of(new float[0], 2, 0, 3));
        m.put("labels", Tensor.ofInts(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2));
        m.put("empty_ints", Tensor.ofInts(new int[0], 0));
        m.put("int_scalar", Tensor.ofInts(new int[] {42}));
        return m;
    }

    private static void assertSame(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()));
        for (String k : want.keySet()) {
            Tensor w = want.get(k);
            Tensor g = got.get(k);
            assertArrayEquals(w.shape(), g.shape(), k);
            DType expected = w.dtype() == DType.I32 ? DType.I32 : DType.F32;
            assertEquals(expected, g.dtype(), k);
            if (expected == DType.I32) {
                assertArrayEquals(w.toIntArray(), g.toIntArray(), k);
            } else {
                float[] a = w.toFloatArray();
                float[] b = g.toFloatArray();
                assertEquals(a.length, b.length, k);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), k + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void everyDtypeAndShapeSurvives() throws IOException {
        Path p = dir.resolve("rt.safetensors");
        Map<String, Tensor> m = sample();
        new SafetensorsWriter().metadata(Map.of("format", "pt", "epoch", "3")).write(p, m);
        SafetensorsContent c = SafetensorsReader.read(p);
        assertSame(m, c.tensors());
        assertEquals(Map.of("format", "pt", "epoch", "3"), c.metadata());
    }

    @Test
    void intsAsI64AreStoredAsI64AndReadBack() throws IOException {
        Path p = dir.resolve("i64.safetensors");
        Map<String, Tensor> m = sample();
        new SafetensorsWriter().intsAsI64(true).write(p, m);
        SafetensorsHeader h = SafetensorsReader.readHeader(p);
        for (SafetensorsEntry e : h.entries()) {
            String want = m.get(e.name()).dtype() == DType.I32 ? "I64" : "F32";
            assertEquals(want, e.dtype(), e.name());
        }
        assertSame(m, SafetensorsReader.read(p).tensors());
        // The raw bytes of "labels" are little-endian 64-bit two's complement.
        SafetensorsEntry labels = h.entries().stream().filter(e -> e.name().equals("labels")).findFirst().orElseThrow();
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        raw.position((int) (h.dataStart() + labels.begin()));
        assertEquals(Integer.MIN_VALUE, raw.getLong());
        assertEquals(-1L, raw.getLong());
    }

    @Test
    void f64IsStoredAsF64AndReadAsF32() throws IOException {
        Path p = dir.resolve("f64.safetensors");
        SafetensorsWriter.writeFile(p, Map.of("d", Tensor.of(new double[] {1.0 / 3, 2}, 2)));
        assertEquals("F64", SafetensorsReader.readHeader(p).entries().get(0).dtype());
        assertArrayEquals(new float[] {1f / 3, 2f}, SafetensorsReader.read(p).tensors().get("d").toFloatArray());
    }

    @Test
    void viewsAreWrittenRowMajor() throws IOException {
        Tensor base = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("transposed", base.transpose(0, 1));          // non-contiguous
        m.put("row", base.select(0, 1));                     // contiguous with an offset
        m.put("ints_t", Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1));
        Path p = dir.resolve("views.safetensors");
        SafetensorsWriter.writeFile(p, m);
        Map<String, Tensor> got = SafetensorsReader.read(p).tensors();
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, got.get("transposed").toFloatArray());
        assertArrayEquals(new int[] {4, 3}, got.get("transposed").shape());
        assertArrayEquals(new float[] {4, 5, 6, 7}, got.get("row").toFloatArray());
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, got.get("ints_t").toIntArray());
    }

    @Test
    void bigTensorCrossesWriteChunks() throws IOException {
        Tensor big = Tensor.randn(new Generator(3), 700, 1000); // 2.8 MB: several 1 MB chunks
        Path p = dir.resolve("big.safetensors");
        SafetensorsWriter.writeFile(p, Map.of("big", big));
        assertArrayEquals(big.toFloatArray(), SafetensorsReader.read(p).tensors().get("big").toFloatArray());
    }

    @Test
    void layoutIsAlignedPaddedAndDeterministic() throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        new SafetensorsWriter().metadata(Map.of("k", "v")).write(a, sample());
        new SafetensorsWriter().metadata(Map.of("k", "v")).write(b, sample());
        byte[] bytes = Files.readAllBytes(a);
        assertArrayEquals(bytes, Files.readAllBytes(b));
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLen) % 8, "data section must start 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\"},\"z.weight\":"), header);
        String json = header.stripTrailing();
        assertTrue(json.endsWith("}") && header.substring(json.length()).matches(" {0,7}"), "padding must be 0-7 trailing spaces");
        // Data section is exactly the tensors, back to back.
        long dataBytes = 0;
        for (Tensor t : sample().values()) {
            dataBytes += 4L * t.numel();
        }
        assertEquals(8 + headerLen + dataBytes, bytes.length);
    }

    @Test
    void refusesNamesAndValuesItCannotWrite() {
        Path p = dir.resolve("x.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.scalar(1));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeFile(p, reserved));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.writeFile(p, nullTensor));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        Map<String, String> nullMeta = new LinkedHashMap<>();
        nullMeta.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter().metadata(nullMeta));
        assertTrue(Files.notExists(p));
    }
}
