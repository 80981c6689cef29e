package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.app.Trace;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The engine's trace against the PyTorch reference's (tools/torchref, computed in float64): logits and
 * loss within 1e-4 relative, every gradient within 1e-3 (‖a−b‖/‖b‖), kept tokens identical. Every case directory
 * under src/test/resources/golden runs; {@code -Dgolden.extra=DIR} adds every case directory under DIR (cases
 * made elsewhere in the same format: config.json, backbone, weights, input and trace safetensors).
 */
class GoldenParityTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Path dir(String c) {
        return GOLDEN.resolve(c);
    }

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>(caseDirs(GOLDEN));
        String extra = System.getProperty("golden.extra", "");
        if (!extra.isBlank()) {
            out.addAll(caseDirs(Path.of(extra)));
        }
        return out.stream();
    }

    private static List<Path> caseDirs(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            List<Path> dirs = s.filter(d -> Files.isRegularFile(d.resolve("trace.safetensors"))).sorted().toList();
            assertFalse(dirs.isEmpty(), "no golden cases under " + root.toAbsolutePath());
            return dirs;
        }
    }

    @Test
    void everyCommittedCaseIsFound() throws IOException {
        // Guards the directory scan: these cases must be among those that run.
        List<String> names = caseDirs(GOLDEN).stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("st_rho07_d8", "st_rho05_d32", "st_rho10_d8", "st_layers_3_5_6_9",
                "st_rho07_wavg", "st_rho07_drop", "ts_only_rho07", "lora_r4", "adaptformer_d8", "kadaptation_n4",
                "kadaptation_n4_qbefore", "st_code_rho07", "st_l2_5_r055_d16_b3_wavg", "st_depth8_l1_8_r03_d4_b1",
                "st_resize_g3_to_g4")), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void traceMatchesReference(Path d) throws Exception {
        String name = d.getFileName().toString();
        VitConfig cfg = VitConfig.load(d.resolve("config.json"));
        VisionTransformer model = new VisionTransformer(cfg, new Generator(1));
        Checkpoints.loadBackbone(model, d.resolve("backbone.safetensors"));
        Checkpoints.loadTrainable(model, d.resolve("weights.safetensors"));
        model.freezeBackbone();
        Map<String, Tensor> in = SafetensorsReader.read(d.resolve("input.safetensors")).tensors();
        Map<String, Tensor> mine = Trace.run(model, in.get("images"), in.get("labels"));
        Map<String, Tensor> ref = SafetensorsReader.read(d.resolve("trace.safetensors")).tensors();

        assertEquals(new TreeSet<>(ref.keySet()), new TreeSet<>(mine.keySet()), name + ": trace tensor names");
        StringBuilder report = new StringBuilder(name);
        double worstGrad = 0;
        String worstName = "-";
        for (String k : ref.keySet()) {
            Tensor a = mine.get(k);
            Tensor b = ref.get(k);
            assertArrayEquals(b.shape(), a.shape(), name + ": shape of " + k);
            if (k.startsWith("kept.")) {
                assertArrayEquals(b.toIntArray(), a.toIntArray(), name + ": " + k);
                continue;
            }
            double err = relError(a, b);
            double tol = k.startsWith("grad.") ? 1e-3 : 1e-4;
            if (k.startsWith("grad.")) {
                if (err > worstGrad) {
                    worstGrad = err;
                    worstName = k;
                }
            } else {
                report.append(String.format(" %s %.2e", k, err));
            }
            assertTrue(err <= tol, name + ": " + k + " relative error " + err + " > " + tol);
        }
        System.out.println(report.append(String.format(" max-grad %.2e (%s)", worstGrad, worstName)));
    }

    static double relError(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) * (x[i] - y[i]);
            den += y[i] * y[i];
        }
        assertTrue(den > 0, "reference tensor is all zero");
        return Math.sqrt(num / den);
    }
}
