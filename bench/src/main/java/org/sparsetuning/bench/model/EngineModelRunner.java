package org.sparsetuning.bench.model;

import java.util.Arrays;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Runs a {@link ModelCase} on the engine: median seconds per call after warm-up, the peak of live tensor
 * bytes during one call above what lived before it (like {@code torch.cuda.max_memory_allocated} after a
 * reset), for training the bytes still alive when the forward pass ends (what backward will read), and the
 * backend's cache beside the tensors (packed frozen weights).
 */
final class EngineModelRunner {
    record Result(double seconds, int runs, double peakMiB, double keptMiB, double cacheMiB) {
    }

    private static final double MIB = 1024.0 * 1024.0;
    private final double minSeconds;
    private final int minRuns;

    EngineModelRunner(double minSeconds, int minRuns) {
        this.minSeconds = minSeconds;
        this.minRuns = minRuns;
    }

    static VitConfig config(ModelCase c, VitConfig preset) {
        VitConfig cfg = preset.withMethod(c.method()).withKeepRate(c.keepRate());
        return c.method().equals(VitConfig.SPARSE_TUNING) ? cfg.withAdapterDim(c.adapterDim()) : cfg;
    }

    Result run(ModelCase c, VitConfig cfg) {
        VisionTransformer model = new VisionTransformer(cfg, new Generator(1)).freezeBackbone();
        Generator g = new Generator(2);
        // Non-zero adapters, as in the peer: every path carries signal.
        model.trainableNamed().forEach((k, v) -> v.data().copyFrom(Tensor.of(g.normal(v.data().numel(), 0, 0.02), v.data().shape())));
        Tensor images = Tensor.randn(new Generator(3), c.batch(), cfg.inChans(), cfg.imgSize(), cfg.imgSize());
        int[] labels = new int[c.batch()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 37) % cfg.numClasses();
        }
        Tensor y = Tensor.ofInts(labels, c.batch());
        double[] kept = {Double.NaN};
        Runnable step;
        if (c.kind().equals(ModelCase.INFERENCE)) {
            model.eval();
            step = () -> {
                try (GradMode.Guard off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
                    model.forward(images);
                }
            };
        } else {
            model.train(true);
            AdamW opt = new AdamW(model.trainableParameters(), 1e-3, 0.05);
            step = () -> {
                try (TensorScope scope = TensorScope.open(); MemoryTracker.Measurement m = MemoryTracker.measure()) {
                    Variable loss = F.crossEntropy(model.forward(images), y);
                    kept[0] = m.liveBytes() / MIB;
                    loss.backward();
                }
                opt.step();
                opt.zeroGrad();
            };
        }
        for (int i = 0; i < 2; i++) {
            step.run();      // warm-up; also creates the optimizer's moments, which then count as model state
        }
        double[] times = new double[200];
        int n = 0;
        long start = System.nanoTime();
        while (n < times.length && (n < minRuns || System.nanoTime() - start < minSeconds * 1e9)) {
            long t0 = System.nanoTime();
            step.run();
            times[n++] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times, 0, n);
        double peak;
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            step.run();
            peak = m.peakBytes() / MIB;
        }
        System.gc();   // lets earlier cases' models, and their cached panels, go first
        double cache = Backends.cpu().cachedBytes() / MIB;
        java.lang.ref.Reference.reachabilityFence(model);
        return new Result(times[n / 2], n, peak, kept[0], cache);
    }
}
