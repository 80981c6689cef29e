package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values refused when the configuration is read, rather than where they would first break the model. */
class VitConfigChecksTest {
    /** Found by fuzzing: in_chans 0 passed and only failed later, inside Tensor.view. */
    @Test
    void zeroInputChannelsAreRefusedNamingTheFileAndField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"in_chans\": 0}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VitConfig.load(file));
        assertEquals(file + ": in_chans must be positive, got 0", e.getMessage());
    }
}
