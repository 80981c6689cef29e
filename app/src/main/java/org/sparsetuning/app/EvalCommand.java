package org.sparsetuning.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.train.MultiViewEvaluator;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.train.EvalResult;
import org.sparsetuning.train.Evaluator;
import org.sparsetuning.train.LoaderData;
import org.sparsetuning.app.progress.ProgressBarListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparse-tune eval}: top-1, top-5 and loss of a checkpoint on a data set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a fine-tuned checkpoint: top-1, top-5, mean cross-entropy and images/s.")
public final class EvalCommand implements CliCommand {
    @Option(names = "--checkpoint", required = true, paramLabel = "DIR", description = "A checkpoint folder (OUT/best or OUT/last of train).")
    Path checkpoint;

    @Option(names = "--backbone", paramLabel = "FILE", description = "Backbone (default: the one the run was trained from).")
    Path backbone;

    @Option(names = "--data", paramLabel = "KIND:PATH", description = "Data (default: the run's data).")
    String data;

    @Option(names = "--split", defaultValue = "test", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--batch-size", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--views", paramLabel = "CLIPSxCROPS", description = "Clip models: also test with multi-view testing, "
            + "e.g. 2x3 (2 temporal clips x 3 spatial crops, softmax averaged), reported beside the single view.")
    String views;

    @Option(names = "--workers", defaultValue = "2", description = "Background decoding threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        run.apply();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        }
        LoadedModel m = LoadedModel.open(checkpoint, backbone);
        run.place(m.model());
        String spec = data != null ? data : m.runInfo().path("data").asText("");
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("--data is required: the checkpoint records no data");
        }
        DataSpec.Split which = switch (split) {
            case "train" -> DataSpec.Split.TRAIN;
            case "test" -> DataSpec.Split.TEST;
            default -> throw new IllegalArgumentException("--split must be train or test, got '" + split + "'");
        };
        Dataset ds = DataSpec.parse(spec).open(which);
        var cfg = m.model().cfg;
        Views multi = views == null ? null : Views.parse(views);
        int channels = Inputs.channels(ds, cfg);
        List<TransformPipeline> viewPipes = multi == null ? List.of() : Inputs.views(cfg, channels, m.norm(), multi);
        ProgressBarListener bar = new ProgressBarListener("eval", System.err);
        EvalResult r;
        EvalResult rv = null;
        List<LoaderData> viewData = new ArrayList<>();
        try (LoaderData d = new LoaderData(ds, Inputs.evaluation(cfg, channels, m.norm()),
                Inputs.evaluation(cfg, channels, m.norm()), workers, BadFilePolicy.STOP)) {
            r = Evaluator.evaluate(m.model(), d, batchSize, bar);
            if (multi != null) {
                for (TransformPipeline p : viewPipes) {
                    viewData.add(new LoaderData(ds, p, p, workers, BadFilePolicy.STOP));
                }
                rv = MultiViewEvaluator.evaluate(m.model(), viewData, batchSize, bar);
            }
        } finally {
            bar.close();
            viewData.forEach(LoaderData::close);
        }
        String unit = cfg.isClip() ? "clips" : "images";
        System.out.printf(Locale.ROOT, "%s on %,d %s of %s (%s split): top-1 %.2f%%, top-5 %.2f%%, loss %.4f, %.0f %s/s%n",
                checkpoint, r.examples(), unit, ds.source(), split, 100 * r.top1(), 100 * r.top5(), r.loss(),
                r.imagesPerSecond(), unit);
        if (rv != null) {
            System.out.printf(Locale.ROOT, "  %s views (%d temporal clips x %d spatial crops, softmax averaged): top-1 %.2f%%, "
                    + "top-5 %.2f%%, loss %.4f (single view: top-1 %.2f%%)%n", multi, multi.clips(), multi.crops(),
                    100 * rv.top1(), 100 * rv.top5(), rv.loss(), 100 * r.top1());
        }
        return 0;
    }
}
