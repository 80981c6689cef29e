package org.sparsetuning.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.opencl.jocl.ClBackend;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * ViT-B/16 with Sparse-Tuning (keep rate 0.7 at layers 4, 7, 10; dense adapters of width 32) end to end, on
 * the CPU or an OpenCL device: {@code inference} is a no-grad forward in eval mode; {@code train-step} is
 * forward, cross-entropy, backward and an AdamW step on the trainable tensors (adapters, head), the backbone
 * frozen. On the device the weights are uploaded once; {@code opencl-resident} keeps images and labels there,
 * {@code opencl-transfer} uploads them each call and downloads the logits (inference) or the loss (training).
 * One call is seconds on PoCL, so single-shot timing.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar VitDeviceBench -p batch=1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class VitDeviceBench {
    @Param({"1", "8"})
    public int batch;

    @Param({"inference", "train-step"})
    public String mode;

    @Param({"cpu", "opencl-resident", "opencl-transfer"})
    public String where;

    private VisionTransformer model;
    private AdamW optimizer;
    private Tensor hostImages;
    private Tensor hostLabels;
    private Tensor images;
    private Tensor labels;
    private Device device;
    private ClBackend cl;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(5);
        model = new VisionTransformer(VitConfig.base(100), g);
        model.freezeBackbone();
        hostImages = Tensor.randn(g, batch, 3, 224, 224);
        int[] l = new int[batch];
        for (int i = 0; i < batch; i++) {
            l[i] = (i * 37) % 100;
        }
        hostLabels = Tensor.ofInts(l, batch);
        device = where.equals("cpu") ? Devices.cpu() : Devices.select(System.getProperty("sparsetuning.bench.device", "opencl:0"));
        if (!device.isCpu()) {
            model.to(device);
            cl = (ClBackend) device.backend();
        }
        images = hostImages.to(device);
        labels = hostLabels.to(device);
        model.train(mode.equals("train-step"));
        optimizer = new AdamW(model.trainableParameters(), 1e-3, 0.05);
    }

    @Benchmark
    @SuppressWarnings("try")
    public double run() {
        boolean transfer = where.equals("opencl-transfer");
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = transfer ? hostImages.to(device) : images;
            if (mode.equals("inference")) {
                try (GradMode.Guard off = GradMode.disabled()) {
                    Tensor logits = model.forward(x).data();
                    return finish(logits, transfer);
                }
            }
            Tensor y = transfer ? hostLabels.to(device) : labels;
            optimizer.zeroGrad();
            var loss = F.crossEntropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            return finish(loss.data(), transfer);
        }
    }

    /** Waits for the device: a download of the result (transfer) or clFinish (resident). */
    private double finish(Tensor result, boolean transfer) {
        if (transfer) {
            return result.toFloatArray()[0];
        }
        if (cl != null) {
            cl.context().finish();
        }
        return result.numel();
    }
}
