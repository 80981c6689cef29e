package org.sparsetuning.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Batch;
import org.sparsetuning.vit.flops.FlopReport;
import org.sparsetuning.vit.flops.Flops;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Fine-tunes several methods on the same data, from the same backbone, with the same options and budget, and
 * measures each as the paper's tables do: test top-1, trainable parameters, GFLOPs, peak memory and throughput
 * in training and inference. Each method's run (checkpoints, metrics) goes to {@code OUT/METHOD/}.
 */
public final class Comparison {
    private final Path backbone;
    private final TrainOptions opts;
    private final TrainingData train;
    private final TrainingData val;
    private final TrainingData test;
    private final Path out;
    private final Function<String, TrainListener> progress;
    private final Map<String, String> runInfo = new LinkedHashMap<>();
    private java.util.List<? extends TrainingData> testViews = java.util.List.of();
    private String viewsLabel = "";

    /**
     * @param backbone backbone tensors (safetensors, timm names), or null for a randomly initialised backbone
     * @param val picks the best epoch (may be null: the last epoch is tested)
     * @param progress makes a method's progress listener from its padded name (the application's progress bar),
     *     or null for none
     */
    public Comparison(Path backbone, TrainOptions opts, TrainingData train, TrainingData val, TrainingData test, Path out,
            Function<String, TrainListener> progress) {
        this.backbone = backbone;
        this.opts = opts;
        this.train = train;
        this.val = val;
        this.test = test;
        this.out = out;
        this.progress = progress;
    }

    /** Strings recorded in every method's checkpoints (data, normalisation), as {@link Trainer#recordRunInfo}. */
    public Comparison recordRunInfo(String key, String value) {
        runInfo.put(key, value);
        return this;
    }

    /**
     * Also tests each method with multi-view testing over {@code views} (the test examples as each view presents
     * them), reported beside the single-view top-1 as {@code label} (e.g. {@code 2x3}).
     */
    public Comparison testViews(java.util.List<? extends TrainingData> views, String label) {
        this.testViews = java.util.List.copyOf(views);
        this.viewsLabel = label;
        return this;
    }

    /** Builds the method's model (backbone from the file, same seed for every method) and freezes what it does not train. */
    public VisionTransformer build(VitConfig cfg) throws IOException {
        return Checkpoints.build(cfg, opts.seed(), backbone, null);
    }

    /** Trains and measures one method; {@code name} labels its row and its folder. */
    public MethodResult run(String name, VitConfig cfg) throws IOException {
        VisionTransformer model = build(cfg);
        FlopReport flops = Flops.count(model);
        long parameterBytes = 0;
        for (Variable v : model.namedParameters().values()) {
            parameterBytes += v.data().storage().bytes();
        }
        warmUp(model);
        Path dir = out.resolve(name);
        CheckpointStore store = new CheckpointStore(dir);
        MetricsLog log = new MetricsLog(dir);
        TrainListener bar = progress == null ? null : progress.apply(String.format("%-14s", name));
        TrainListener listener = bar == null ? log : TrainListener.all(java.util.List.of(log, bar));
        TrainResult result;
        long trainPeak;
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            // The backbone's path goes into the checkpoints, so predict and visualize can rebuild the model from them.
            Trainer trainer = new Trainer(model, opts, train, val, store, listener).recordRunInfo("method", name)
                    .recordRunInfo("backbone", backbone == null ? "" : backbone.toAbsolutePath().toString());
            runInfo.forEach(trainer::recordRunInfo);
            result = trainer.run();
            trainPeak = m.peakBytes();
        } finally {
            log.close();
            if (bar != null) {
                bar.close();
            }
        }
        Checkpoint.loadWeights(store.best(), model);
        EvalResult ev;
        long inferPeak;
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            ev = Evaluator.evaluate(model, test, opts.batchSize(), TrainListener.NONE);
            inferPeak = m.peakBytes();
        }
        double viewsTop1 = testViews.isEmpty() ? Double.NaN
                : MultiViewEvaluator.evaluate(model, testViews, opts.batchSize(), TrainListener.NONE).top1();
        double trainSeconds = 0;
        long seen = 0;
        for (EpochMetrics e : result.history()) {
            long images = train.size();
            seen += images;
            trainSeconds += images / e.trainImagesPerSecond();
        }
        return new MethodResult(name, ev.top1(), ev.top5(), flops.trainableParameters(), flops.headParameters(),
                flops.gflops(), parameterBytes + trainPeak, parameterBytes + inferPeak, seen / trainSeconds,
                ev.imagesPerSecond(), result.history(), result.bestEpoch(), trainSeconds, viewsTop1, testViews.isEmpty() ? "" : viewsLabel);
    }

    /**
     * Two forward and backward passes and two inference passes on one batch, gradients then dropped: the JIT
     * compiles the method's code paths before anything is timed, and the weights do not change.
     */
    @SuppressWarnings("try")
    private void warmUp(VisionTransformer model) {
        for (int rep = 0; rep < 2; rep++) {
            try (TensorScope scope = TensorScope.open(); BatchStream s = train.inOrder(opts.batchSize())) {
                Batch b = s.next();
                F.crossEntropy(model.forward(b.images()), b.labels()).backward();
                model.trainableNamed().values().forEach(Variable::zeroGrad);
                model.eval();
                try (GradMode.Guard off = GradMode.disabled()) {
                    model.forward(b.images());
                }
                model.train(true);
            }
        }
    }
}
