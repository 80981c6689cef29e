package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.vit.GoldenTraces;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;

class TraceCommandTest {

    static String[] args(String cfgCase, String weightsCase, Path out) {
        Path d = GoldenTraces.dir(cfgCase);
        return new String[] {"trace", "--config", d.resolve("config.json").toString(),
                "--backbone", d.resolve("backbone.safetensors").toString(),
                "--weights", GoldenTraces.dir(weightsCase).resolve("weights.safetensors").toString(),
                "--input", d.resolve("input.safetensors").toString(), "--out", out.toString()};
    }

    static String stderrOf(String... argv) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            assertEquals(1, Main.run(argv));
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void writesTheSpecTrace(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("t.safetensors");
        assertEquals(0, Main.run(args("st_rho07_d8", "st_rho07_d8", out)));
        Map<String, Tensor> mine = SafetensorsReader.read(out).tensors();
        Map<String, Tensor> ref = SafetensorsReader.read(GoldenTraces.dir("st_rho07_d8").resolve("trace.safetensors")).tensors();
        assertEquals(ref.keySet(), mine.keySet());
        assertEquals("I64", SafetensorsReader.readHeader(out).entries().stream()
                .filter(e -> e.name().equals("kept.4")).findFirst().orElseThrow().dtype());
        assertArrayEquals(new int[] {1}, mine.get("loss").shape());
        assertEquals(ref.get("loss").item(), mine.get("loss").item(), 1e-4 * Math.abs(ref.get("loss").item()));
        assertArrayEquals(ref.get("kept.10").toIntArray(), mine.get("kept.10").toIntArray());
    }

    @Test
    void missingFileIsNamed(@TempDir Path tmp) {
        String[] a = args("st_rho07_d8", "st_rho07_d8", tmp.resolve("t.safetensors"));
        a[6] = tmp.resolve("nope.safetensors").toString();
        String err = stderrOf(a);
        assertTrue(err.contains("nope.safetensors") && err.contains("not found"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void tensorOfTheWrongShapeIsNamed(@TempDir Path tmp) {
        // weights made for d' = 32 against a d' = 8 model
        String err = stderrOf(args("st_rho07_d8", "st_rho05_d32", tmp.resolve("t.safetensors")));
        assertTrue(err.contains("st_rho05_d32") && err.contains("dense_adapter") && err.contains("shape"), err);
    }

    @Test
    void weightsOfAnotherMethodAreRefusedClearly(@TempDir Path tmp) {
        String err = stderrOf(args("lora_r4", "adaptformer_d8", tmp.resolve("t.safetensors")));
        assertTrue(err.contains("adaptformer") && err.contains("not a trainable tensor") && err.contains("method lora"), err);
    }

    @Test
    void tracesEveryBaselineGolden(@TempDir Path tmp) throws Exception {
        for (String c : new String[] {"lora_r4", "adaptformer_d8", "kadaptation_n4", "st_code_rho07"}) {
            Path out = tmp.resolve(c + ".safetensors");
            assertEquals(0, Main.run(args(c, c, out)), c);
            Map<String, Tensor> mine = SafetensorsReader.read(out).tensors();
            Map<String, Tensor> ref = SafetensorsReader.read(GoldenTraces.dir(c).resolve("trace.safetensors")).tensors();
            assertEquals(new java.util.TreeSet<>(ref.keySet()), new java.util.TreeSet<>(mine.keySet()), c);
        }
    }
}
