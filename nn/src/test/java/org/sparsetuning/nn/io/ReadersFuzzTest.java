package org.sparsetuning.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.nn.io.IoBytes.bytes;
import static org.sparsetuning.nn.io.IoBytes.concat;
import static org.sparsetuning.nn.io.IoBytes.dict;
import static org.sparsetuning.nn.io.IoBytes.entries;
import static org.sparsetuning.nn.io.IoBytes.f32;
import static org.sparsetuning.nn.io.IoBytes.f64;
import static org.sparsetuning.nn.io.IoBytes.i64;
import static org.sparsetuning.nn.io.IoBytes.npy;
import static org.sparsetuning.nn.io.IoBytes.u16;
import static org.sparsetuning.nn.io.IoBytes.zip;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.fuzz.FuzzHarness;

/**
 * Seeded mutations of small valid files through every reader of this package: each must either read the file or
 * refuse it with a {@link CheckpointFormatException} naming the file, and never allocate more than the file could
 * hold. Bounded: about 2 000 mutants per format, a few seconds in all.
 */
class ReadersFuzzTest {
    private static final int MUTANTS = 2000;
    /** Buffers of fixed size (the 64 KiB stream buffer, the decode chunk, JSON parser tables). */
    private static final long SLACK = 2L << 20;
    /** Stored elements widen at most 4x (I8 to I32), and Fortran-ordered arrays are copied once more. */
    private static final long WIDENING = 8;

    @TempDir
    Path dir;

    private static List<byte[]> npySeeds() {
        return List.of(
                npy(1, dict("<f4", false, "(2, 3)"), f32(1, 2, 3, 4, 5, 6)),
                npy(1, dict(">f8", true, "(3, 2)"), concat(f64(1, 2, 3), f64(4, 5, 6))),
                npy(2, dict("<i8", false, "(4,)"), i64(0, 5, -9, 1)),
                npy(3, dict("|u1", false, "(2, 2, 2)"), bytes(1, 2, 3, 4, 5, 6, 7, 8)),
                npy(1, dict("<f2", false, "(2,)"), u16(0x3c00, 0xc000)),
                npy(1, dict("|b1", false, "(3,)"), bytes(1, 0, 1)));
    }

    @Test
    void npyFilesAreReadOrRefusedCleanly() throws IOException {
        FuzzHarness h = new FuzzHarness(dir, "a.npy", CheckpointFormatException.class, n -> WIDENING * n + SLACK);
        long seed = 1;
        for (byte[] valid : npySeeds()) {
            h.run(valid, MUTANTS / 3, seed++, NpyReader::read);
        }
        assertClean(h);
    }

    @Test
    void npzArchivesAreReadOrRefusedCleanly() throws IOException {
        // A deflated entry can legitimately expand NpzReader.MAX_DEFLATE_RATIO times.
        FuzzHarness h = new FuzzHarness(dir, "a.npz", CheckpointFormatException.class,
                n -> WIDENING * NpzReader.MAX_DEFLATE_RATIO * n + SLACK);
        List<byte[]> arrays = npySeeds();
        for (boolean deflate : new boolean[] {false, true}) {
            byte[] valid = zip(entries("a.npy", arrays.get(0), "b/c.npy", arrays.get(1), "d.npy", arrays.get(2)), deflate);
            h.run(valid, MUTANTS, deflate ? 11 : 12, NpzReader::read);
        }
        assertClean(h);
    }

    @Test
    void safetensorsFilesAreReadOrRefusedCleanly() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]},"
                + "\"c\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[28,36]}}";
        byte[] valid = IoBytes.safetensors(header, concat(f32(1, 2, 3, 4, 5, 6), u16(0x3f80, 0xc000), i64(7)));
        // The JSON tree costs some tens of bytes per header byte.
        FuzzHarness h = new FuzzHarness(dir, "a.safetensors", CheckpointFormatException.class, n -> 64 * n + SLACK);
        h.run(valid, MUTANTS, 21, SafetensorsReader::read);
        assertClean(h);
    }

    private static void assertClean(FuzzHarness h) {
        assertEquals("", h.problems(), "readers misbehaved on mutated files");
        assertTrue(h.rejected() > h.runs() / 2, "most mutants should be refused, only " + h.rejected() + " of " + h.runs() + " were");
    }
}
