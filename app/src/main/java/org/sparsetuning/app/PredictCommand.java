package org.sparsetuning.app;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.transforms.ModelInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparse-tune predict}: the most likely classes of image files (or video folders, for a clip model). */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify image files (PNG, JPEG) with a fine-tuned checkpoint, or video folders of numbered frames "
                + "with a clip model (the segment-centre frames): the top classes with probabilities.")
public final class PredictCommand implements CliCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint folder (OUT/best of train).")
    Path checkpoint;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Backbone (default: the one the run was trained from).")
    Path backbone;

    @Option(names = "--top", defaultValue = "5", description = "Classes listed per image. Default: ${DEFAULT-VALUE}.")
    int top;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files, or video folders for a clip model.")
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
        LoadedModel m = LoadedModel.open(checkpoint, backbone);
        for (Path p : images) {
            if (!Files.exists(p)) {
                throw new NoSuchFileException(p + (m.model().cfg.isClip() ? ": video folder not found" : ": image file not found"));
            }
        }
        run.place(m.model());
        m.model().eval();
        int classes = m.model().cfg.numClasses();
        int k = Math.min(top, classes);
        for (Path p : images) {
            Sample s = Inputs.fromPath(p, m.model().cfg);
            ModelInput in = Inputs.evaluationInput(m.model().cfg, s, m.norm());
            float[] probs;
            try (TensorScope scope = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
                Tensor x = Inputs.batch(List.of(in), m.model().cfg);
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
