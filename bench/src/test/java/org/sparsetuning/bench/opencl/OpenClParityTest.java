package org.sparsetuning.bench.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.io.SafetensorsReader;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.opencl.jocl.ClTestDevice;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.GoldenTraces;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The Sparse-Tuning parity goldens (tools/torchref, float64) on the OpenCL backend, forward and backward: the
 * model, its inputs and every computation on the device, the same tolerances as on the CPU (logits and loss
 * 1e-4, gradients 1e-3 relative, kept tokens identical). Here, in bench, because opencl-kernels must not depend
 * on vit. Skipped without OpenCL, failing in CI (ClTestDevice).
 */
class OpenClParityTest {
    private Device dev;

    @BeforeEach
    void device() {
        dev = ClTestDevice.require();
    }

    static String[] cases() {
        return GoldenTraces.CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void traceOnOpenClMatchesReference(String name) throws Exception {
        Map<String, Tensor> trace = GoldenTraces.run(name, dev);
        assertEquals(dev.name(), trace.get("logits").storage().device(), "logits computed on " + dev.name());
        trace.forEach((k, t) -> {
            if (k.startsWith("grad.")) {
                assertEquals(dev.name(), t.storage().device(), k + " computed on " + dev.name());
            }
        });
        System.out.println(dev.name() + " " + GoldenTraces.check(name, trace));
    }

    /** A few AdamW steps on the device (moments and update there) give the CPU's parameters. */
    @Test
    void adamWTrainingStepsMatchTheCpu() throws Exception {
        String name = "st_rho07_wavg";
        VisionTransformer cpu = model(name);
        VisionTransformer gpu = model(name);
        gpu.to(dev);
        Map<String, Tensor> in = SafetensorsReader.read(GoldenTraces.dir(name).resolve("input.safetensors")).tensors();
        Tensor images = in.get("images");
        Tensor labels = in.get("labels");
        AdamW oc = new AdamW(cpu.trainableParameters(), 1e-3, 0.05);
        AdamW od = new AdamW(gpu.trainableParameters(), 1e-3, 0.05);
        Tensor imagesDev = images.to(dev);
        Tensor labelsDev = labels.to(dev);
        for (int step = 0; step < 3; step++) {
            for (Object[] run : List.of(new Object[] {cpu, oc, images, labels}, new Object[] {gpu, od, imagesDev, labelsDev})) {
                VisionTransformer m = (VisionTransformer) run[0];
                AdamW opt = (AdamW) run[1];
                try (TensorScope scope = TensorScope.open()) {
                    opt.zeroGrad();
                    F.crossEntropy(m.forward((Tensor) run[2]), (Tensor) run[3]).backward();
                    opt.step();
                }
            }
        }
        Map<String, Variable> pc = cpu.trainableNamed();
        double worst = 0;
        for (Map.Entry<String, Variable> e : gpu.trainableNamed().entrySet()) {
            Tensor w = e.getValue().data();
            assertEquals(dev.name(), w.storage().device(), e.getKey());
            assertEquals(dev.name(), od.state(0)[0].storage().device(), "AdamW moments live on the device");
            double err = GoldenTraces.relError(w, pc.get(e.getKey()).data());
            worst = Math.max(worst, err);
            assertTrue(err < 1e-4, e.getKey() + " after 3 AdamW steps: relative error " + err);
        }
        System.out.printf("%s: 3 AdamW steps, worst parameter error %.2e%n", dev.name(), worst);
    }

    private static VisionTransformer model(String name) throws Exception {
        Path d = GoldenTraces.dir(name);
        VisionTransformer m = new VisionTransformer(VitConfig.load(d.resolve("config.json")), new Generator(1));
        Checkpoints.loadBackbone(m, d.resolve("backbone.safetensors"));
        Checkpoints.loadTrainable(m, d.resolve("weights.safetensors"));
        m.freezeBackbone();
        return m;
    }
}
