package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.trace.Trace;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The Sparse-Tuning parity goldens (tools/torchref, float64) and how the engine is checked against them: logits
 * and loss within 1e-4 relative, every gradient within 1e-3 (‖a−b‖/‖b‖), kept tokens identical. Shared through
 * vit's test-jar, so the device backends (opencl-kernels, via the bench module) run the same cases.
 */
public final class GoldenTraces {
    /** Every golden case. */
    public static final String[] CASES = {"st_rho07_d8", "st_rho05_d32", "st_rho10_d8", "st_layers_3_5_6_9", "st_rho07_wavg",
        "st_rho07_drop", "ts_only_rho07", "lora_r4", "adaptformer_d8", "kadaptation_n4", "kadaptation_n4_qbefore", "st_code_rho07",
        "st_l2_5_r055_d16_b3_wavg", "st_depth8_l1_8_r03_d4_b1", "st_resize_g3_to_g4",
        // clips (SPEC H): native tubelet weights, inflated image backbones (alone and after a resize), t = 1,
        // another keep rate and other sparsifying layers, a baseline
        "clip_st_native_t2", "clip_st_inflated_t2", "clip_st_inflated_resize_g2_to_g3", "clip_st_t1_f3",
        "clip_st_r05_l2_6_f6_t3", "clip_lora_r4_inflated"};

    private GoldenTraces() {
    }

    private static final String[] FILES = {"config.json", "backbone.safetensors", "weights.safetensors", "input.safetensors",
        "trace.safetensors"};
    private static final java.util.Map<String, Path> EXTRACTED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The folder of a case. The goldens are class path resources (vit's test resources, or vit's test-jar when
     * another module runs them after packaging), so each case is copied once into a temporary folder that the
     * file readers can open.
     */
    public static Path dir(String name) {
        return EXTRACTED.computeIfAbsent(name, GoldenTraces::extract);
    }

    private static Path extract(String name) {
        try {
            Path d = Files.createTempDirectory("golden-" + name);
            for (String f : FILES) {
                try (InputStream in = GoldenTraces.class.getResourceAsStream("/golden/" + name + "/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("golden case " + name + ": /golden/" + name + "/" + f
                                + " is not on the class path (vit's test resources)");
                    }
                    Files.copy(in, d.resolve(f));
                }
                d.resolve(f).toFile().deleteOnExit();
            }
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("extracting golden case " + name, e);
        }
    }

    /**
     * Builds the case's model, moves it to {@code device} with its inputs (null = leave it on the CPU), runs the
     * trace and returns it (tensors still where they were computed).
     */
    public static Map<String, Tensor> run(String name, Device device) throws Exception {
        return run(dir(name), device);
    }

    /** {@link #run(String, Device)} for a case folder anywhere (config.json and the four safetensors files). */
    public static Map<String, Tensor> run(Path d, Device device) throws Exception {
        VitConfig cfg = VitConfig.load(d.resolve("config.json"));
        VisionTransformer model = new VisionTransformer(cfg, new Generator(1));
        Checkpoints.loadBackbone(model, d.resolve("backbone.safetensors"));
        Checkpoints.loadTrainable(model, d.resolve("weights.safetensors"));
        model.freezeBackbone();
        Map<String, Tensor> in = SafetensorsReader.read(d.resolve("input.safetensors")).tensors();
        Tensor images = in.get("images");
        Tensor labels = in.get("labels");
        if (device != null) {
            model.to(device);
            images = images.to(device);
            labels = labels.to(device);
        }
        return Trace.run(model, images, labels);
    }

    /** Asserts a trace against the case's reference; returns a one-line summary of the errors. */
    public static String check(String name, Map<String, Tensor> mine) throws Exception {
        return check(dir(name), mine);
    }

    /** {@link #check(String, Map)} for a case folder anywhere. */
    public static String check(Path d, Map<String, Tensor> mine) throws Exception {
        String name = d.getFileName().toString();
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
        return report.append(String.format(" max-grad %.2e (%s)", worstGrad, worstName)).toString();
    }

    public static double relError(Tensor a, Tensor b) {
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
