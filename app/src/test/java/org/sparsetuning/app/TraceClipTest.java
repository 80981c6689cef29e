package org.sparsetuning.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.vit.GoldenTraces;

/** {@code trace} on clips (SPEC H): the clip goldens through the command, and an image batch refused in one line. */
class TraceClipTest {
    @Test
    void tracesClipGoldensWithinTheImageTolerances(@TempDir Path tmp) throws Exception {
        for (String c : new String[] {"clip_st_inflated_resize_g2_to_g3", "clip_st_r05_l2_6_f6_t3"}) {
            Path out = tmp.resolve(c + ".safetensors");
            assertEquals(0, Main.run(TraceCommandTest.args(c, c, out)), c);
            System.out.println("trace " + GoldenTraces.check(c, SafetensorsReader.read(out).tensors()));
        }
    }

    @Test
    void anImageBatchForAClipModelIsOneClearLine(@TempDir Path tmp) throws Exception {
        String c = "clip_st_native_t2";
        Map<String, Tensor> in = SafetensorsReader.read(GoldenTraces.dir(c).resolve("input.safetensors")).tensors();
        Map<String, Tensor> images = new LinkedHashMap<>();
        images.put("images", in.get("images").narrow(2, 0, 1).contiguous().reshape(2, 3, 24, 24));
        images.put("labels", in.get("labels"));
        Path bad = tmp.resolve("frames.safetensors");
        new SafetensorsWriter().intsAsI64(true).write(bad, images);
        String[] a = TraceCommandTest.args(c, c, tmp.resolve("t.safetensors"));
        a[8] = bad.toString();
        String err = TraceCommandTest.stderrOf(a);
        assertTrue(err.contains(bad + ": input images: expected [B, C, T, H, W] = [B, 3, 4, 24, 24] (num_frames 4), "
                + "got [2, 3, 24, 24]"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }
}
