package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.fuzz.FuzzHarness;
import org.sparsetuning.nn.io.CheckpointFormatException;

/**
 * Seeded mutations of the small Google npz fixtures through {@link GoogleVitNpz#read}: each is converted or refused
 * with a {@link CheckpointFormatException} naming the file, never allocating more than the archive could hold.
 */
class GoogleNpzFuzzTest {
    /** Deflate's best ratio, times the reader's widening and the conversion's copies (transposes, concatenations). */
    private static final long PER_BYTE = 16 * 1032;

    @Test
    void googleNpzFilesAreConvertedOrRefusedCleanly(@TempDir Path dir) throws IOException {
        VitConfig cfg = VitConfig.load(GoogleNpzLoadTest.DIR.resolve("config.json"));
        FuzzHarness h = new FuzzHarness(dir, "vit.npz", CheckpointFormatException.class, n -> PER_BYTE * n + (4L << 20));
        h.run(Files.readAllBytes(GoogleNpzLoadTest.DIR.resolve("vit_google.npz")), 400, 500, f -> GoogleVitNpz.read(f, cfg));
        h.run(Files.readAllBytes(GoogleNpzLoadTest.DIR.resolve("vit_google_prefixed.npz")), 400, 501, f -> GoogleVitNpz.read(f, cfg));
        assertEquals("", h.problems(), "the Google npz loader misbehaved on mutated files");
        assertTrue(h.rejected() > 0, "no mutant was refused");
    }
}
