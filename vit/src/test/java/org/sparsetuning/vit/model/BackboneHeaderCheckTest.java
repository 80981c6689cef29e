package org.sparsetuning.vit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** A safetensors backbone that does not fit the model is refused from its header, before its tensors are read. */
class BackboneHeaderCheckTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aWrongShapeIsRefusedWithoutReadingTheTensors(@TempDir Path dir) throws Exception {
        VisionTransformer model = new VisionTransformer(VitConfig.load(GoogleNpzLoadTest.DIR.resolve("config.json")), new Generator(7));
        Path file = dir.resolve("other.safetensors");
        SafetensorsWriter.writeFile(file, Map.of("cls_token", Tensor.zeros(1, 1, 4 << 20))); // 16 MB of another width
        int[] want = model.backboneParameters().get("cls_token").data().shape();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, file));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertEquals(file + ": tensor 'cls_token' has shape [1, 1, 4194304] but the model expects " + java.util.Arrays.toString(want),
                e.getMessage());
        assertTrue(allocated < (4L << 20), "the tensor was read before its shape was checked: " + allocated + " bytes allocated");
    }

    @Test
    void anUnknownNameIsRefusedFromTheHeader(@TempDir Path dir) throws Exception {
        VisionTransformer model = new VisionTransformer(VitConfig.load(GoogleNpzLoadTest.DIR.resolve("config.json")), new Generator(7));
        Path file = dir.resolve("other.safetensors");
        SafetensorsWriter.writeFile(file, Map.of("decoder.weight", Tensor.zeros(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, file));
        assertEquals(file + ": tensors [decoder.weight] are not part of the model's backbone", e.getMessage());
    }

    /** Integer weights were converted to floats without a word (Google's npz refused them already). */
    @Test
    void integerWeightsAreRefused(@TempDir Path dir) throws Exception {
        VisionTransformer model = new VisionTransformer(VitConfig.load(GoogleNpzLoadTest.DIR.resolve("config.json")), new Generator(7));
        int[] shape = model.backboneParameters().get("norm.weight").data().shape();
        Path file = dir.resolve("ints.safetensors");
        SafetensorsWriter.writeFile(file, Map.of("norm.weight", Tensor.ofInts(new int[shape[0]], shape)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, file));
        assertEquals(file + ": tensor 'norm.weight' holds I32 values, expected floating point (F32, F16, BF16 or F64)", e.getMessage());
        String head = model.addedParameters().keySet().iterator().next();
        int[] headShape = model.addedParameters().get(head).data().shape();
        Path weights = dir.resolve("weights.safetensors");
        SafetensorsWriter.writeFile(weights, Map.of(head, Tensor.ofInts(new int[java.util.Arrays.stream(headShape).reduce(1, (a, b) -> a * b)], headShape)));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTrainable(model, weights));
        assertEquals(weights + ": tensor '" + head + "' holds integer values, expected floating point (F32, F16, BF16 or F64)",
                e.getMessage());
    }

    /** A NaN in the backbone was loaded: eval printed "loss NaN" and exit code 0. */
    @Test
    void nonFiniteWeightsAreRefused(@TempDir Path dir) throws Exception {
        VisionTransformer model = new VisionTransformer(VitConfig.load(GoogleNpzLoadTest.DIR.resolve("config.json")), new Generator(7));
        Map<String, Tensor> backbone = new java.util.LinkedHashMap<>();
        model.backboneParameters().forEach((k, v) -> backbone.put(k, v.data()));
        float[] w = backbone.get("norm.weight").toFloatArray();
        w[3] = Float.NaN;
        backbone.put("norm.weight", Tensor.of(w, w.length));
        Path file = dir.resolve("nan.safetensors");
        SafetensorsWriter.writeFile(file, backbone);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadBackbone(model, file));
        assertEquals(file + ": tensor 'norm.weight' holds NaN at element 3, expected finite values (a corrupt file, or one saved "
                + "from a diverged run)", e.getMessage());
    }
}
