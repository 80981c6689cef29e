package org.sparsetuning.bench.model;

import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.nn.optim.AdamW;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * A {@link ModelCase} set up on the engine, ready to run one call: inference (a forward pass without a graph,
 * eval mode) or a training step (forward, cross-entropy, backward, AdamW over the trainable tensors), the same
 * calls as the PyTorch peer's (tools/bench/vit_torch.py). The timed process and the memory child
 * ({@link EngineMemoryChild}) both run it.
 */
final class EngineModelCase implements Runnable {
    private final VisionTransformer model;
    private final Runnable step;

    static VitConfig config(ModelCase c, VitConfig preset) {
        VitConfig cfg = preset.withMethod(c.method()).withKeepRate(c.keepRate());
        return c.method().equals(VitConfig.SPARSE_TUNING) ? cfg.withAdapterDim(c.adapterDim()) : cfg;
    }

    EngineModelCase(ModelCase c, VitConfig cfg) {
        model = new VisionTransformer(cfg, new Generator(1)).freezeBackbone();   // full fine-tuning: trains everything
        Generator g = new Generator(2);
        // Non-zero adapters, as in the peer: every path carries signal.
        model.trainableNamed().forEach((k, v) -> v.data().copyFrom(Tensor.of(g.normal(v.data().numel(), 0, 0.02), v.data().shape())));
        Tensor images = Tensor.randn(new Generator(3), cfg.inputShape(c.batch()));   // [B, C, T, H, W] for a clip model
        int[] labels = new int[c.batch()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 37) % cfg.numClasses();
        }
        Tensor y = Tensor.ofInts(labels, c.batch());
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
                try (TensorScope scope = TensorScope.open()) {
                    F.crossEntropy(model.forward(images), y).backward();
                }
                opt.step();
                opt.zeroGrad();
            };
        }
    }

    @Override
    public void run() {
        step.run();
        java.lang.ref.Reference.reachabilityFence(model);
    }
}
