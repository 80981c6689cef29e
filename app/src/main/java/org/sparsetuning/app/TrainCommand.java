package org.sparsetuning.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.train.Checkpoint;
import org.sparsetuning.train.CheckpointStore;
import org.sparsetuning.train.LoaderData;
import org.sparsetuning.train.MetricsLog;
import org.sparsetuning.app.progress.ProgressBarListener;
import org.sparsetuning.train.TrainListener;
import org.sparsetuning.train.TrainOptions;
import org.sparsetuning.train.TrainResult;
import org.sparsetuning.train.Trainer;
import org.sparsetuning.app.viz.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparse-tune train}: fine-tunes a method on a data set, with checkpoints, metrics and curves. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fine-tune a ViT with Sparse-Tuning or a baseline. Writes OUT/last and OUT/best (trainable tensors, "
                + "AdamW moments, config, state), OUT/metrics.csv, metrics.jsonl, steps.jsonl and OUT/curves.png.",
                "Resume an interrupted run with --resume OUT/last: the model, data and options come from the checkpoint."})
public final class TrainCommand implements CliCommand {
    @Mixin
    ModelOptions model;

    @Mixin
    RunOptions run;

    @Option(names = "--data", paramLabel = "KIND:PATH", description = "Training data: idx:DIR, fashion-mnist[:DIR], "
            + "cifar10:DIR, cifar100:DIR, imagefolder:DIR, vtab:DIR.")
    String data;

    @Option(names = "--eval-data", paramLabel = "KIND:PATH", description = "Evaluated after each epoch (default: the test "
            + "split of --data; 'none' to skip).")
    String evalData;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (required unless --resume).")
    Path out;

    @Option(names = "--resume", paramLabel = "CKPT", description = "Continue the run whose checkpoint folder this is.")
    Path resume;

    @Mixin
    TrainFlags flags;

    @Option(names = "--norm", defaultValue = "half", description = "Input normalisation: half (0.5/0.5, Google's ViT) or "
            + "imagenet (timm/DeiT). Default: ${DEFAULT-VALUE}.")
    String norm;

    @Option(names = "--augment", defaultValue = "none", description = "none (resize only) or crop-flip (random resized "
            + "crop and horizontal flip). Default: ${DEFAULT-VALUE}.")
    String augment;

    @Option(names = "--workers", defaultValue = "2", description = "Background decoding threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Option(names = "--bad-files", defaultValue = "stop", description = "An unreadable image: stop the run, or skip it "
            + "(reported by path). Default: ${DEFAULT-VALUE}.")
    String badFiles;

    @Override
    public Integer call() throws Exception {
        return train(null);
    }

    /** The flags' run folder, or null before the command line is parsed or with --resume alone. */
    public Path out() {
        return out;
    }

    /** The --resume checkpoint, or null. */
    public Path resume() {
        return resume;
    }

    /**
     * The trainable parameters of the model these flags train (data-parallel training moves their gradients every
     * step); opens the training data to count its classes, so a missing data folder fails here.
     */
    public long trainableParameters() throws Exception {
        VitConfig cfg;
        if (resume != null) {
            cfg = Checkpoint.config(resume);
        } else {
            if (data == null) {
                throw new IllegalArgumentException("--data is required (or --resume a checkpoint)");
            }
            DataSpec spec = DataSpec.parse(data);
            cfg = model.config(spec.trainingClasses(spec.open(DataSpec.Split.TRAIN)));
        }
        return Checkpoints.build(cfg, 0, null, null).trainableParameterCount();
    }

    /** Trains as the flags say; as one replica of data-parallel training when {@code replica} is not null. */
    public int train(Replica replica) throws Exception {
        run.apply();
        PrintStream log = System.out;
        boolean writes = replica == null || replica.writes();
        if (replica != null && replica.resumeFrom() != null) {
            resume = replica.resumeFrom();
        }
        TrainOptions opts;
        VitConfig cfg;
        DataSpec spec;
        String evalSpec;
        Path backbone;
        Normalize normalize;
        String aug;
        if (resume != null) {
            JsonNode state = Checkpoint.state(resume);
            JsonNode info = state.path("run");
            opts = Checkpoint.options(resume);
            cfg = Checkpoint.config(resume);
            spec = DataSpec.parse(data != null ? data : info.path("data").asText());
            evalSpec = evalData != null ? evalData : info.path("eval_data").asText("none");
            String bb = model.backbone() != null ? model.backbone().toString() : info.path("backbone").asText("");
            backbone = bb.isEmpty() ? null : Path.of(bb);
            normalize = Normalize.preset(info.path("norm").asText(norm));
            aug = info.path("augment").asText(augment);
            if (out == null) {
                out = resume.toAbsolutePath().getParent();
            }
        } else {
            if (data == null) {
                throw new IllegalArgumentException("--data is required (or --resume a checkpoint)");
            }
            if (out == null) {
                throw new IllegalArgumentException("--out is required: the folder for checkpoints and metrics");
            }
            CliCommand.requireFolder(out, "--out");
            spec = DataSpec.parse(data);
            evalSpec = evalData != null ? evalData : spec.toString();
            backbone = model.backbone();
            normalize = Normalize.preset(norm);
            aug = augment;
            opts = flags.options(run.seed());
            cfg = null;
        }
        BadFilePolicy policy = switch (badFiles) {
            case "stop" -> BadFilePolicy.STOP;
            case "skip" -> BadFilePolicy.SKIP;
            default -> throw new IllegalArgumentException("--bad-files must be stop or skip, got '" + badFiles + "'");
        };
        Dataset trainSet = spec.open(DataSpec.Split.TRAIN);
        if (cfg == null) {
            cfg = model.config(spec.trainingClasses(trainSet));
        }
        int channels = Inputs.channels(trainSet, cfg);
        Dataset evalSet = evalSpec.equals("none") || !writes ? null : DataSpec.parse(evalSpec).open(DataSpec.Split.TEST);
        if (backbone == null && writes) {
            System.err.println("sparse-tune train: note: no --backbone, the backbone is randomly initialised");
        }
        VisionTransformer vit = Checkpoints.build(cfg, opts.seed(), backbone, null);
        run.place(vit);
        MetricsLog metrics = writes ? new MetricsLog(out) : null;
        // A replica reports its steps to whoever started it; the progress bar is theirs to draw.
        TrainListener bar = replica == null ? new ProgressBarListener("train", System.err) : replica.listener();
        List<TrainListener> listeners = new java.util.ArrayList<>();
        if (metrics != null) {
            listeners.add(metrics);
        }
        if (bar != null) {
            listeners.add(bar);
        }
        try (LoaderData train = new LoaderData(trainSet, Inputs.training(cfg, channels, normalize, aug),
                Inputs.evaluation(cfg, channels, normalize), workers, policy);
             LoaderData eval = evalSet == null ? null : evalData(evalSet, cfg, normalize, policy)) {
            if (replica != null) {
                train.shard(replica.rank(), replica.replicas());
            }
            Trainer trainer = new Trainer(vit, opts, train, eval, writes ? new CheckpointStore(out) : null, TrainListener.all(listeners))
                    .recordRunInfo("data", spec.toString()).recordRunInfo("eval_data", evalSpec)
                    .recordRunInfo("backbone", backbone == null ? "" : backbone.toAbsolutePath().toString())
                    .recordRunInfo("norm", normalize == Normalize.IMAGENET ? "imagenet" : "half").recordRunInfo("augment", aug);
            if (replica != null) {
                trainer.dataParallel(replica.sync());
            }
            if (writes) {
                log.printf(Locale.ROOT, "training %s (%,d trainable parameters) on %,d examples of %s, %d epochs%n", cfg.method(),
                        vit.trainableParameterCount(), trainSet.size(), trainSet.source(), opts.epochs());
            }
            TrainResult r;
            try {
                r = resume != null ? trainer.resume(resume) : trainer.run();
            } finally {
                if (metrics != null) {
                    metrics.close();
                }
                if (bar != null) {
                    bar.close();
                }
            }
            if (!writes) {
                return 0;
            }
            Charts.trainingCurves(cfg.method(), r.history(), out.resolve("curves.png"));
            var best = r.best();
            log.printf(Locale.ROOT, "best epoch %d: %s%n", best.epoch(), best.evaluated()
                    ? String.format(Locale.ROOT, "eval top-1 %.2f%%, top-5 %.2f%%", 100 * best.evalTop1(), 100 * best.evalTop5())
                    : String.format(Locale.ROOT, "training loss %.4f", best.trainLoss()));
            log.printf(Locale.ROOT, "checkpoints: %s, %s; metrics and curves in %s%n", r.checkpoints().best(),
                    r.checkpoints().last(), out);
        }
        return 0;
    }

    private LoaderData evalData(Dataset ds, VitConfig cfg, Normalize normalize, BadFilePolicy policy) throws java.io.IOException {
        int channels = Inputs.channels(ds, cfg);
        return new LoaderData(ds, Inputs.evaluation(cfg, channels, normalize), Inputs.evaluation(cfg, channels, normalize),
                workers, policy);
    }
}
