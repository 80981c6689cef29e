package org.sparsetuning.bench.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparsetuning.opencl.jocl.ClTestDevice;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.app.AppFixtures;

/**
 * {@code sparse-tune train --device opencl} end to end (it lives here because only this module sees both the
 * application and the OpenCL provider): the same tiny Sparse-Tuning run on the CPU and on the OpenCL device
 * logs the same losses within float tolerance, and the device run's checkpoint evaluates on the device.
 * Skipped without OpenCL, failing in CI (ClTestDevice).
 */
class OpenClTrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trainsOnTheDeviceWithTheCpuLosses() throws IOException {
        Device dev = ClTestDevice.require();
        Path data = AppFixtures.imageFolder(dir.resolve("data"), 4, 2);
        Path config = AppFixtures.config(dir);
        List<double[]> losses = new ArrayList<>();
        for (String device : new String[] {"cpu", dev.name()}) {
            Path out = dir.resolve(device.replace(':', '_'));
            AppFixtures.Run r = AppFixtures.run("train", "--config", config.toString(), "--data", "imagefolder:" + data,
                    "--out", out.toString(), "--epochs", "2", "--batch-size", "4", "--lr", "1e-2", "--threads", "1",
                    "--workers", "1", "--device", device);
            assertEquals(0, r.code(), device + ": " + r.err());
            losses.add(stepLosses(out.resolve("steps.jsonl")));
        }
        double[] cpu = losses.get(0);
        double[] cl = losses.get(1);
        assertEquals(cpu.length, cl.length, "same number of steps");
        assertTrue(cpu.length >= 4, "a few steps were logged");
        for (int i = 0; i < cpu.length; i++) {
            assertEquals(cpu[i], cl[i], 1e-3 * Math.max(1, Math.abs(cpu[i])), "loss of step " + i);
        }
        AppFixtures.Run e = AppFixtures.run("eval", "--checkpoint", dir.resolve(dev.name().replace(':', '_')).resolve("best").toString(),
                "--split", "train", "--device", dev.name());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("top-1"), e.out());
    }

    private static double[] stepLosses(Path steps) throws IOException {
        return Files.readAllLines(steps).stream().filter(l -> !l.isBlank())
                .mapToDouble(l -> {
                    try {
                        return JSON.readTree(l).path("loss").asDouble(Double.NaN);
                    } catch (IOException ex) {
                        throw new IllegalStateException(steps + ": " + l, ex);
                    }
                }).toArray();
    }
}
