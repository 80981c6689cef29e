package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.nn.io.IoBytes.bytes;
import static org.sparsetuning.nn.io.IoBytes.concat;
import static org.sparsetuning.nn.io.IoBytes.f32;
import static org.sparsetuning.nn.io.IoBytes.f64;
import static org.sparsetuning.nn.io.IoBytes.i32;
import static org.sparsetuning.nn.io.IoBytes.i64;
import static org.sparsetuning.nn.io.IoBytes.safetensors;
import static org.sparsetuning.nn.io.IoBytes.u16;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** The reader against files whose bytes are spelled out here, element by element. */
class SafetensorsReaderTest {
    @TempDir
    Path dir;

    private Path file(byte[] content) throws IOException {
        Path p = dir.resolve("hand.safetensors");
        Files.write(p, content);
        return p;
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static Tensor only(Path p) throws IOException {
        Map<String, Tensor> t = SafetensorsReader.read(p).tensors();
        assertEquals(1, t.size());
        return t.values().iterator().next();
    }

    @Test
    void f16KnownValuesWidenExactly() throws IOException {
        // 1.0, -2.5, 65504 (largest half), 2^-24 (smallest subnormal), 1023*2^-24 (largest subnormal),
        // 2^-14 (smallest normal), -0.0, +inf, -inf, NaN
        int[] bits = {0x3C00, 0xC100, 0x7BFF, 0x0001, 0x03FF, 0x0400, 0x8000, 0x7C00, 0xFC00, 0x7E00};
        float[] want = {1f, -2.5f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        Tensor t = only(file(safetensors("{" + entry("h", "F16", "[2,5]", 0, 20) + "}", u16(bits))));
        assertEquals(DType.F32, t.dtype());
        assertArrayEquals(new int[] {2, 5}, t.shape());
        float[] got = t.toFloatArray();
        for (int i = 0; i < want.length; i++) {
            // Compare bit patterns (NaN aside) so -0.0 and the subnormals are checked exactly.
            if (Float.isNaN(want[i])) {
                assertTrue(Float.isNaN(got[i]), "element " + i);
            } else {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "element " + i);
            }
        }
    }

    @Test
    void f16AllFiniteValuesMatchTheDefinition() {
        // Every finite half: (-1)^s * 2^(e-15) * (1 + m/1024), or m * 2^-24 when e == 0.
        for (int h = 0; h < 0x10000; h++) {
            int e = (h >>> 10) & 0x1f;
            if (e == 0x1f) {
                continue;
            }
            int m = h & 0x3ff;
            double mag = e == 0 ? m * Math.pow(2, -24) : Math.pow(2, e - 15) * (1 + m / 1024.0);
            double want = (h & 0x8000) != 0 ? -mag : mag;
            assertEquals(want, HalfFloats.halfToFloat((short) h), 0.0, "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void bf16KnownValuesWidenExactly() throws IOException {
        // 1.0, -2.5, 65536, largest bf16, a subnormal (2^-133), +inf, -inf, NaN
        int[] bits = {0x3F80, 0xC020, 0x4780, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x7FC0};
        float[] want = {1f, -2.5f, 65536f, Float.intBitsToFloat(0x7F7F0000), 0x1p-133f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] got = only(file(safetensors("{" + entry("b", "BF16", "[8]", 0, 16) + "}", u16(bits)))).toFloatArray();
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i])) {
                assertTrue(Float.isNaN(got[i]));
            } else {
                assertEquals(want[i], got[i], 0f, "element " + i);
            }
        }
    }

    @Test
    void f64NarrowsWithRounding() throws IOException {
        double[] v = {1.0 / 3, -1e300, 1e-50, 0.1};
        float[] got = only(file(safetensors("{" + entry("d", "F64", "[4]", 0, 32) + "}", f64(v)))).toFloatArray();
        assertArrayEquals(new float[] {1f / 3, Float.NEGATIVE_INFINITY, 0f, 0.1f}, got);
    }

    @Test
    void integerTypesBecomeI32() throws IOException {
        String header = "{" + entry("a64", "I64", "[3]", 0, 24) + "," + entry("a32", "I32", "[2]", 24, 32) + ","
                + entry("a16", "I16", "[2]", 32, 36) + "," + entry("a8", "I8", "[2]", 36, 38) + ","
                + entry("u8", "U8", "[2]", 38, 40) + "," + entry("flag", "BOOL", "[3]", 40, 43) + "}";
        byte[] data = concat(i64(Integer.MIN_VALUE, Integer.MAX_VALUE, -7), i32(-5, 123456789), u16(0xFFFE, 300),
                bytes(0x80, 0x7F), bytes(0xFF, 0x00), bytes(1, 0, 1));
        Map<String, Tensor> t = SafetensorsReader.read(file(safetensors(header, data))).tensors();
        assertEquals(List.of("a64", "a32", "a16", "a8", "u8", "flag"), List.copyOf(t.keySet()));
        t.values().forEach(x -> assertEquals(DType.I32, x.dtype()));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -7}, t.get("a64").toIntArray());
        assertArrayEquals(new int[] {-5, 123456789}, t.get("a32").toIntArray());
        assertArrayEquals(new int[] {-2, 300}, t.get("a16").toIntArray());
        assertArrayEquals(new int[] {-128, 127}, t.get("a8").toIntArray());
        assertArrayEquals(new int[] {255, 0}, t.get("u8").toIntArray());
        assertArrayEquals(new int[] {1, 0, 1}, t.get("flag").toIntArray());
    }

    @Test
    void headerOrderIsKeptAndMetadataIsRead() throws IOException {
        // Names deliberately out of alphabetical order and data in reverse order of the header.
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"ünïcode\"},"
                + entry("zeta", "F32", "[2]", 8, 16) + "," + entry("alpha", "F32", "[1,2]", 0, 8) + "}";
        SafetensorsContent c = SafetensorsReader.read(file(safetensors(header, f32(1, 2, 3, 4))));
        assertEquals(List.of("zeta", "alpha"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {3, 4}, c.tensors().get("zeta").toFloatArray());
        assertArrayEquals(new float[] {1, 2}, c.tensors().get("alpha").toFloatArray());
        assertArrayEquals(new int[] {1, 2}, c.tensors().get("alpha").shape());
        assertEquals(Map.of("format", "pt", "note", "ünïcode"), c.metadata());
    }

    @Test
    void scalarEmptyAndTrailingBytes() throws IOException {
        // A 0-d tensor, an empty one (zero-length range), and 5 unused bytes at the end: all legal.
        String header = "{" + entry("s", "F32", "[]", 0, 4) + "," + entry("e", "F32", "[0,3]", 4, 4) + "}";
        SafetensorsContent c = SafetensorsReader.read(file(safetensors(header, concat(f32(2.5f), bytes(9, 9, 9, 9, 9)))));
        assertEquals(0, c.tensors().get("s").dim());
        assertEquals(2.5, c.tensors().get("s").item());
        assertArrayEquals(new int[] {0, 3}, c.tensors().get("e").shape());
    }

    @Test
    void subsetAndHeaderOnly() throws IOException {
        String header = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "I32", "[2]", 4, 12) + "}";
        Path p = file(safetensors(header, concat(f32(1), i32(5, 6))));
        SafetensorsContent c = SafetensorsReader.read(p, "b"::equals);
        assertEquals(List.of("b"), List.copyOf(c.tensors().keySet()));
        SafetensorsHeader h = SafetensorsReader.readHeader(p);
        assertEquals(2, h.entries().size());
        assertEquals("I32", h.entries().get(1).dtype());
        assertEquals(4, h.entries().get(1).begin());
        assertEquals(8 + header.length(), h.dataStart());
    }

    @Test
    void largeTensorSpansManyReadChunks() throws IOException {
        // 600 000 floats = 2.4 MB, more than two of the reader's 1 MB chunks, with a partial last chunk.
        int n = 600_000;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.25f - 7;
        }
        Tensor t = only(file(safetensors("{" + entry("big", "F32", "[600,1000]", 0, 4L * n) + "}", f32(v))));
        assertArrayEquals(v, t.toFloatArray());
    }
}
