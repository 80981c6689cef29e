package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;

/** The trace command on Google's npz layout (vit's npz fixtures, read from its test-jar). */
class NpzTraceCommandTest {
    static final Path DIR = extract("config.json", "input.safetensors", "weights.safetensors", "vit_timm.safetensors",
            "vit_google_prefixed.npz");

    private static Path extract(String... files) {
        try {
            Path d = Files.createTempDirectory("npz-fixtures");
            d.toFile().deleteOnExit();
            for (String f : files) {
                try (InputStream in = NpzTraceCommandTest.class.getResourceAsStream("/npz/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("/npz/" + f + " is not on the class path (vit's test-jar)");
                    }
                    Files.copy(in, d.resolve(f));
                }
                d.resolve(f).toFile().deleteOnExit();
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void traceCommandTakesAnNpzBackbone(@TempDir Path tmp) throws Exception {
        Map<String, Map<String, Tensor>> traces = new LinkedHashMap<>();
        for (String backbone : new String[] {"vit_timm.safetensors", "vit_google_prefixed.npz"}) {
            Path out = tmp.resolve(backbone + ".trace.safetensors");
            assertEquals(0, Main.run("trace", "--config", DIR.resolve("config.json").toString(),
                    "--backbone", DIR.resolve(backbone).toString(), "--weights", DIR.resolve("weights.safetensors").toString(),
                    "--input", DIR.resolve("input.safetensors").toString(), "--out", out.toString()));
            traces.put(backbone, SafetensorsReader.read(out).tensors());
        }
        Map<String, Tensor> a = traces.get("vit_timm.safetensors");
        Map<String, Tensor> b = traces.get("vit_google_prefixed.npz");
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, t) -> assertArrayEquals(t.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
    }

    @Test
    void aBrokenArchiveIsNamedByTheTraceCommand(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("junk.npz");
        java.nio.file.Files.writeString(junk, "not a zip");
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(1, Main.run("trace", "--config", DIR.resolve("config.json").toString(), "--backbone", junk.toString(),
                    "--weights", DIR.resolve("weights.safetensors").toString(), "--input", DIR.resolve("input.safetensors").toString(),
                    "--out", tmp.resolve("t.safetensors").toString()));
        } finally {
            System.setErr(old);
        }
        assertTrue(buf.toString().contains("junk.npz") && buf.toString().contains("zip"), buf.toString());
    }
}
