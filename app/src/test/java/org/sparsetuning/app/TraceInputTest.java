package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.vit.GoldenTraces;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;

/** What the trace command accepts as SPEC G input, and how it names what it refuses. */
class TraceInputTest {
    static final Path CASE = GoldenTraces.dir("st_rho07_d8");

    static String[] args(Path input, Path out) {
        return new String[] {"trace", "--config", CASE.resolve("config.json").toString(),
                "--backbone", CASE.resolve("backbone.safetensors").toString(),
                "--weights", CASE.resolve("weights.safetensors").toString(), "--input", input.toString(), "--out", out.toString()};
    }

    static Path input(Path tmp, String name, Tensor images, Tensor labels, boolean labelsAsI64) throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("images", images);
        m.put("labels", labels);
        Path p = tmp.resolve(name);
        new SafetensorsWriter().intsAsI64(labelsAsI64).write(p, m);
        return p;
    }

    static Map<String, Tensor> golden() throws Exception {
        return SafetensorsReader.read(CASE.resolve("input.safetensors")).tensors();
    }

    @Test
    void doubleImagesAndI32LabelsGiveTheSameTrace(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> in = golden();
        Path f32 = tmp.resolve("f32.safetensors");
        Path f64 = tmp.resolve("f64.safetensors");
        assertEquals(0, Main.run(args(CASE.resolve("input.safetensors"), f32)));
        assertEquals(0, Main.run(args(input(tmp, "in64.safetensors", in.get("images").to(DType.F64), in.get("labels"), false), f64)));
        Map<String, Tensor> a = SafetensorsReader.read(f32).tensors();
        Map<String, Tensor> b = SafetensorsReader.read(f64).tensors();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, t) -> assertArrayEquals(t.toFloatArray(), b.get(k).toFloatArray(), 0f, k));
    }

    @Test
    void batchOfOneTraces(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> in = golden();
        Path p = input(tmp, "b1.safetensors", in.get("images").narrow(0, 1, 1).contiguous(), in.get("labels").narrow(0, 1, 1).contiguous(), true);
        Path out = tmp.resolve("t.safetensors");
        assertEquals(0, Main.run(args(p, out)));
        Map<String, Tensor> t = SafetensorsReader.read(out).tensors();
        assertArrayEquals(new int[] {1, 10}, t.get("logits").shape());
        assertArrayEquals(new int[] {1, 12}, t.get("kept.4").shape());
        assertArrayEquals(new int[] {1}, t.get("loss").shape());
    }

    @Test
    void labelOutsideTheClassesIsNamed(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> in = golden();
        Path p = input(tmp, "oob.safetensors", in.get("images"), Tensor.ofInts(new int[] {0, 10, 3}, 3), true);
        String err = TraceCommandTest.stderrOf(args(p, tmp.resolve("t.safetensors")));
        assertTrue(err.contains("oob.safetensors") && err.contains("label 10 of sample 1") && err.contains("[0, 10)"), err);
    }

    @Test
    void floatLabelsAreNamed(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> in = golden();
        Path p = input(tmp, "flabels.safetensors", in.get("images"), in.get("labels").to(DType.F32), true);
        String err = TraceCommandTest.stderrOf(args(p, tmp.resolve("t.safetensors")));
        assertTrue(err.contains("flabels.safetensors") && err.contains("integer class indices") && err.contains("F32"), err);
    }

    @Test
    void labelCountMustMatchTheBatch(@TempDir Path tmp) throws Exception {
        Map<String, Tensor> in = golden();
        Path p = input(tmp, "two.safetensors", in.get("images"), Tensor.ofInts(new int[] {0, 1}, 2), true);
        String err = TraceCommandTest.stderrOf(args(p, tmp.resolve("t.safetensors")));
        assertTrue(err.contains("two.safetensors") && err.contains("expected [3], got [2]"), err);
    }
}
