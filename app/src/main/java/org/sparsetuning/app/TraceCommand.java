package org.sparsetuning.app;

import java.nio.file.Path;
import java.util.Map;
import org.sparsetuning.nn.io.SafetensorsWriter;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.PosEmbedResize;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.vit.trace.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparse-tune trace}: one forward + backward written as a SPEC G trace, to compare with any reference. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "One forward and backward pass (training mode, dropout off), written as a SPEC G trace.")
public final class TraceCommand implements CliCommand {
    @Option(names = "--config", required = true, description = "Model configuration (JSON, SPEC G).")
    Path config;

    @Option(names = "--backbone", required = true,
            description = "Frozen backbone: timm names (safetensors), or Google's ViT layout (.npz, SPEC E.1).")
    Path backbone;

    @Option(names = "--pos-embed-resize", defaultValue = "bicubic", paramLabel = "MODE",
            description = "How a backbone position embedding with another patch grid is resampled: bicubic "
                    + "(PyTorch bicubic, align_corners=False, no antialias; the default) or bicubic-antialias.")
    String posEmbedResize;

    @Option(names = "--weights", required = true, description = "Trainable tensors: adapters and head (safetensors).")
    Path weights;

    @Option(names = "--input", required = true,
            description = "images F32 [B, C, H, W] (clips [B, C, T, H, W] when num_frames > 0) and labels I64 [B] "
                    + "(safetensors).")
    Path input;

    @Option(names = "--out", required = true, description = "Where to write the trace (safetensors).")
    Path out;

    @Option(names = "--kernels", defaultValue = "reference", paramLabel = "KIND",
            description = "reference (the scalar kernels, sums in double precision: slower, closest to an exact "
                    + "result, the default for a checking tool) or simd (the fast kernels training uses).")
    String kernels;

    @Override
    public Integer call() throws Exception {
        if (!kernels.equals("reference") && !kernels.equals("simd")) {
            throw new IllegalArgumentException("--kernels: expected reference or simd, got '" + kernels + "'");
        }
        var before = Backends.cpu();
        if (kernels.equals("reference")) {
            Backends.setCpu(Backends.reference());
        }
        try {
            return trace();
        } finally {
            Backends.setCpu(before);
        }
    }

    private int trace() throws Exception {
        PosEmbedResize.Mode resize = PosEmbedResize.Mode.parse(posEmbedResize);
        VitConfig cfg = VitConfig.load(config);
        VisionTransformer model = new VisionTransformer(cfg, new Generator(0));
        Checkpoints.loadBackbone(model, backbone, resize, System.err::println);
        Checkpoints.loadTrainable(model, weights);
        model.freezeBackbone();
        Map<String, Tensor> in = Checkpoints.read(input, "input");
        Tensor images = require(in, "images");
        Tensor labels = require(in, "labels");
        try {
            Trace.checkInput(images, labels, cfg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(input + ": " + e.getMessage(), e);
        }
        Map<String, Tensor> trace = Trace.run(model, images, labels);
        new SafetensorsWriter().intsAsI64(true).write(out, trace);
        System.out.printf("wrote %s: loss %.6f, %d tensors%n", out, trace.get("loss").item(), trace.size());
        return 0;
    }

    private Tensor require(Map<String, Tensor> in, String name) {
        Tensor t = in.get(name);
        if (t == null) {
            throw new IllegalArgumentException(input + ": tensor '" + name + "' is missing");
        }
        return t;
    }
}
