package org.sparsetuning.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.transforms.ModelInput;
import org.sparsetuning.app.viz.Visualizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sparse-tune visualize}: which tokens each sparsifying layer kept, drawn over the images. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
        description = {"Draw, for each image, the patches whose tokens each sparsifying layer kept (the others, fused, "
                + "greyed and hatched), with the prediction. One PNG per image in --out.",
                "Images come from files, or from --data (the first --count examples of the test split). A clip model draws "
                + "each clip as a strip of frames with its kept tubelets; give it video folders or frames:DIR data."})
public final class VisualizeCommand implements CliCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A Sparse-Tuning checkpoint folder.")
    Path checkpoint;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Backbone (default: the one the run was trained from).")
    Path backbone;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the pictures.")
    Path out;

    @Option(names = "--data", paramLabel = "KIND:PATH", description = "Take the images from this data's test split.")
    String data;

    @Option(names = "--count", defaultValue = "8", description = "Images taken from --data. Default: ${DEFAULT-VALUE}.")
    int count;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Image files (PNG, JPEG), or video folders for a clip model.")
    List<Path> images = new ArrayList<>();

    @Mixin
    RunOptions run;

    @Override
    @SuppressWarnings("try")
    public Integer call() throws Exception {
        run.apply();
        CliCommand.requireFolder(out, "--out");
        if (images.isEmpty() == (data == null)) {
            throw new IllegalArgumentException("give image files or --data, not both and not neither");
        }
        LoadedModel m = LoadedModel.open(checkpoint, backbone);
        run.place(m.model());
        var cfg = m.model().cfg;
        List<Sample> samples = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (data != null) {
            if (count <= 0) {
                throw new IllegalArgumentException("--count must be positive, got " + count);
            }
            Dataset ds = DataSpec.parse(data).open(DataSpec.Split.TEST);
            for (int i = 0; i < Math.min(count, ds.size()); i++) {
                Sample s = Inputs.example(ds, i, cfg);
                samples.add(s);
                names.add(String.format(Locale.ROOT, "%04d-%s", i, ds.classNames().get(s.label())));
            }
        } else {
            for (Path p : images) {
                samples.add(Inputs.fromPath(p, cfg));
                String file = p.toAbsolutePath().normalize().getFileName().toString();
                names.add(file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file);
            }
        }
        List<ModelInput> inputs = new ArrayList<>();
        for (Sample s : samples) {
            inputs.add(Inputs.evaluationInput(cfg, s, m.norm()));
        }
        double[][] ms = m.meanStd();
        List<Visualizer.Drawn> drawn;
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Inputs.batch(inputs, cfg);
            drawn = Visualizer.draw(m.model(), x, ms[0], ms[1], names, m.classNames(), out);
        }
        for (Visualizer.Drawn d : drawn) {
            System.out.printf(Locale.ROOT, "%s  predicted %s (p = %.3f)%n", d.file(), m.className(d.predicted()), d.probability());
        }
        return 0;
    }
}
