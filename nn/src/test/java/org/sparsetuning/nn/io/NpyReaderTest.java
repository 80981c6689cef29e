package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.nn.io.IoBytes.bytes;
import static org.sparsetuning.nn.io.IoBytes.concat;
import static org.sparsetuning.nn.io.IoBytes.dict;
import static org.sparsetuning.nn.io.IoBytes.f32;
import static org.sparsetuning.nn.io.IoBytes.f64;
import static org.sparsetuning.nn.io.IoBytes.i32;
import static org.sparsetuning.nn.io.IoBytes.i64;
import static org.sparsetuning.nn.io.IoBytes.npy;
import static org.sparsetuning.nn.io.IoBytes.u16;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** .npy files built byte by byte here, plus ones numpy itself wrote (tools/fixtures/make_npz.py). */
class NpyReaderTest {
    @TempDir
    Path dir;

    private Tensor read(byte[] content) throws IOException {
        Path p = dir.resolve("a.npy");
        Files.write(p, content);
        return NpyReader.read(p);
    }

    @Test
    void versionsOneTwoAndThree() throws IOException {
        for (int major = 1; major <= 3; major++) {
            Tensor t = read(npy(major, dict("<f4", false, "(2, 3)"), f32(1, 2, 3, 4, 5, 6)));
            assertEquals(DType.F32, t.dtype());
            assertArrayEquals(new int[] {2, 3}, t.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray(), "version " + major);
        }
    }

    @Test
    void everySupportedDescr() throws IOException {
        assertArrayEquals(new float[] {1f / 3, -2}, read(npy(1, dict("<f8", false, "(2,)"), f64(1.0 / 3, -2))).toFloatArray());
        assertArrayEquals(new float[] {1, -2.5f, 65504, 0x1p-24f},
                read(npy(1, dict("<f2", false, "(4,)"), u16(0x3C00, 0xC100, 0x7BFF, 0x0001))).toFloatArray());
        assertArrayEquals(new int[] {-1, 7}, read(npy(1, dict("<i4", false, "(2,)"), i32(-1, 7))).toIntArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 9},
                read(npy(1, dict("<i8", false, "(2,)"), i64(Integer.MIN_VALUE, 9))).toIntArray());
        assertArrayEquals(new int[] {-2, 300}, read(npy(1, dict("<i2", false, "(2,)"), u16(0xFFFE, 300))).toIntArray());
        assertArrayEquals(new int[] {-128, 5}, read(npy(1, dict("|i1", false, "(2,)"), bytes(0x80, 5))).toIntArray());
        assertArrayEquals(new int[] {0, 255}, read(npy(1, dict("|u1", false, "(2,)"), bytes(0, 255))).toIntArray());
        assertArrayEquals(new int[] {1, 0}, read(npy(1, dict("|b1", false, "(2,)"), bytes(1, 0))).toIntArray());
        byte[] bigEndian = ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-3f).array();
        assertArrayEquals(new float[] {1.5f, -3f}, read(npy(1, dict(">f4", false, "(2,)"), bigEndian)).toFloatArray());
    }

    @Test
    void scalarEmptyAndPython2Longs() throws IOException {
        Tensor s = read(npy(1, dict("<f4", false, "()"), f32(2.5f)));
        assertEquals(0, s.dim());
        assertEquals(2.5, s.item());
        Tensor e = read(npy(1, dict("<f4", false, "(0, 4)"), new byte[0]));
        assertArrayEquals(new int[] {0, 4}, e.shape());
        Tensor l = read(npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2L, 1L)}", i32(3, 4)));
        assertArrayEquals(new int[] {2, 1}, l.shape());
        assertArrayEquals(new int[] {3, 4}, l.toIntArray());
    }

    @Test
    void fortranOrderIsTransposedToRowMajor() throws IOException {
        // 2x3 in column-major order: the file holds column 0 (1, 4), column 1 (2, 5), column 2 (3, 6).
        Tensor t = read(npy(1, dict("<f4", true, "(2, 3)"), f32(1, 4, 2, 5, 3, 6)));
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertTrue(t.isContiguous());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
    }

    private static float[] expectedCube() {
        float[] v = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    v[i * 12 + j * 4 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        return v;
    }

    @Test
    void filesWrittenByNumpy() throws Exception {
        for (String name : new String[] {"numpy_c.npy", "numpy_fortran.npy", "numpy_v2.npy"}) {
            Path p = Path.of(getClass().getResource("/io/" + name).toURI());
            Tensor t = NpyReader.read(p);
            assertArrayEquals(new int[] {2, 3, 4}, t.shape(), name);
            assertArrayEquals(expectedCube(), t.toFloatArray(), name);
        }
    }

    private static Arguments bad(String rule, byte[] content, String problem) {
        return Arguments.of(rule, content, problem);
    }

    static Stream<Arguments> hostile() {
        byte[] good = npy(1, dict("<f4", false, "(2,)"), f32(1, 2));
        byte[] badMagic = good.clone();
        badMagic[1] = 'X';
        byte[] version9 = good.clone();
        version9[6] = 9;
        return Stream.of(
                bad("bad magic", badMagic, "bad magic"),
                bad("empty file", new byte[0], "truncated in the magic"),
                bad("unknown version", version9, "unsupported .npy format version 9"),
                bad("truncated header", java.util.Arrays.copyOf(good, 20), "header length 118 runs past the end of the 20-byte array"),
                bad("huge header length", concat(bytes(0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0), IoBytes.le(4).putInt(-1).array()), "exceeds the limit"),
                bad("header not a dict", npy(1, "['descr', 3]", f32(1)), "expected a dict"),
                bad("header with code", npy(1, "{'descr': __import__('os'), 'fortran_order': False, 'shape': ()}", f32(1)), "malformed header"),
                bad("missing key", npy(1, "{'descr': '<f4', 'shape': (1,)}", f32(1)), "not exactly descr, fortran_order, shape"),
                bad("structured dtype", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", f32(1)), "structured"),
                bad("unsupported dtype", npy(1, dict("<c8", false, "(1,)"), f32(1, 2)), "unsupported dtype descr '<c8'"),
                bad("no byte-order mark", npy(1, dict("xf4", false, "(1,)"), f32(1)), "byte-order"),
                bad("fortran_order not bool", npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}", f32(1)), "fortran_order"),
                bad("negative dimension", npy(1, dict("<f4", false, "(-1,)"), f32(1)), "negative dimension"),
                bad("too many elements", npy(1, dict("<f4", false, "(65536, 65536)"), f32(1)), "more than 2^31-1"),
                bad("data truncated", npy(1, dict("<f4", false, "(3,)"), f32(1, 2)), "shape [3] of F32 needs 12 data bytes, but 8 follow the header"),
                bad("data longer than shape", npy(1, dict("<f4", false, "(1,)"), f32(1, 2)), "needs 4 data bytes, but 8 follow the header"),
                // Found by fuzzing: the shape was trusted and 8 GB allocated before the data was read.
                bad("huge shape in a small file", npy(1, dict("<f4", false, "(2147483647,)"), f32(1)), "needs 8589934588 data bytes, but 4 follow"),
                bad("deeply nested header", npy(1, "{'descr': " + "[".repeat(5000) + "]".repeat(5000) + "}", f32(1)), "nested more than 16 levels"),
                bad("i8 out of int range", npy(1, dict("<i8", false, "(1,)"), i64(1L << 33)), "outside the int32 range"),
                bad("header not UTF-8 in v3", concat(bytes(0x93, 'N', 'U', 'M', 'P', 'Y', 3, 0), IoBytes.le(4).putInt(2).array(), bytes(0xC3, 0x28)), "not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileFilesAreRefused(String rule, byte[] content, String problem) throws IOException {
        Path p = dir.resolve("hostile.npy");
        Files.write(p, content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> NpyReader.read(p), rule);
        assertTrue(e.getMessage().contains(p.toString()), rule + ": message does not name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), rule + ": message does not say '" + problem + "': " + e.getMessage());
    }
}
