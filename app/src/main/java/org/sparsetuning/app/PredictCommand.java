package org.sparsetuning.app;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.readers.ImageDecoder;
import org.sparsetuning.data.transforms.Image;
import org.sparsetuning.data.transforms.TransformPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparse-tune predict}: the most likely classes of image files. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify image files (PNG, JPEG) with a fine-tuned checkpoint: the top classes with probabilities.")
public final class PredictCommand implements CliCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint folder (OUT/best of train).")
    Path checkpoint;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Backbone (default: the one the run was trained from).")
    Path backbone;

    @Option(names = "--top", defaultValue = "5", description = "Classes listed per image. Default: ${DEFAULT-VALUE}.")
    int top;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @Override
    @SuppressWarnings("try")
    public Integer call() throws Exception {
        run.apply();
        if (top <= 0) {
            throw new IllegalArgumentException("--top must be positive, got " + top);
        }
        for (Path p : images) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p + ": image file not found");
            }
        }
        LoadedModel m = LoadedModel.open(checkpoint, backbone);
        run.place(m.model());
        m.model().eval();
        int classes = m.model().cfg.numClasses();
        int k = Math.min(top, classes);
        for (Path p : images) {
            Sample s = ImageDecoder.decode(p, 0);
            TransformPipeline pipe = Inputs.evaluation(m.model().cfg, s.channels(), m.norm());
            Image img = pipe.apply(s, new Generator(0));
            float[] probs;
            try (TensorScope scope = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
                Tensor x = Tensor.of(img.pixels(), 1, img.channels(), img.height(), img.width());
                probs = m.model().forward(x).data().softmax().contiguous().toFloatArray();
            }
            Integer[] order = new Integer[classes];
            for (int i = 0; i < classes; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
            System.out.println(p);
            for (int i = 0; i < k; i++) {
                System.out.printf(Locale.ROOT, "  %d. %-24s %.4f%n", i + 1, m.className(order[i]), probs[order[i]]);
            }
        }
        return 0;
    }
}
