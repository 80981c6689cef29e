package org.sparsetuning.app.video;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.app.job.BackboneCache;
import org.sparsetuning.app.job.ComparisonOutputs;
import org.sparsetuning.app.progress.ProgressBarListener;
import org.sparsetuning.app.viz.Charts;
import org.sparsetuning.app.viz.Visualizer;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.data.Sample;
import org.sparsetuning.data.transforms.ModelInput;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.data.transforms.SpatialCrop;
import org.sparsetuning.data.transforms.TransformPipeline;
import org.sparsetuning.data.video.FrameFolderDataset;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.train.Checkpoint;
import org.sparsetuning.train.CompareTable;
import org.sparsetuning.train.Comparison;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.train.EvalResult;
import org.sparsetuning.train.Evaluator;
import org.sparsetuning.train.LoaderData;
import org.sparsetuning.train.MethodResult;
import org.sparsetuning.train.TrainListener;
import org.sparsetuning.train.Trainer;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The video demo: clips made from Fashion-MNIST ({@link MovingFashion}, written once as frame folders and cached), a
 * small video ViT pre-trained on the upstream clips (cached as the main job's backbone is), then Sparse-Tuning, full
 * fine-tuning, AdaptFormer and LoRA fine-tuned on the downstream clips with the same data, options and budget, through
 * the frame-folder data path (TSN frame sampling in training, segment centres and multi-view testing in evaluation).
 * Prints the table and writes it, the charts and strips of kept tubelets to the output folder.
 */
public final class VideoDemo {
    /** Bumped when the clips change, so a cache of the old ones is not reused. */
    private static final String CLIPS_VERSION = "moving-fashion-1";
    private static final Normalize NORM = new Normalize(new double[] {0.5}, new double[] {0.5});

    private final VideoDemoPlan plan;
    private final Dataset fashionTrain;
    private final Dataset fashionTest;
    private final Path out;
    private final Path cacheRoot;
    private final boolean fresh;
    private final int workers;
    private final PrintStream log;
    private final PrintStream progress;

    /**
     * @param quick the shrunken demo of a few seconds (tests)
     * @param progress where the progress bars go (null: none)
     */
    public VideoDemo(boolean quick, Dataset fashionTrain, Dataset fashionTest, Path out, Path cacheRoot, boolean fresh,
            int workers, PrintStream log, PrintStream progress) {
        this.plan = quick ? VideoDemoPlan.quick() : VideoDemoPlan.standard();
        this.fashionTrain = fashionTrain;
        this.fashionTest = fashionTest;
        this.out = out;
        this.cacheRoot = cacheRoot;
        this.fresh = fresh;
        this.workers = workers;
        this.log = log;
        this.progress = progress;
    }

    /** Runs the demo and returns the methods' results in table order. */
    public List<MethodResult> run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        VitConfig up = plan.upstream();
        log.printf(Locale.ROOT, "Sparse-Tuning on video: moving Fashion-MNIST clips (garments from %s)%n", fashionTrain.source());
        log.printf(Locale.ROOT, "  model: video ViT, depth %d, width %d, %d heads, %d frames of %dx%d in tubelets of %dx%dx%d "
                + "(%d tokens + CLS)%n", up.depth(), up.embedDim(), up.numHeads(), up.numFrames(), up.imgSize(), up.imgSize(),
                up.tubeletSize(), up.patchSize(), up.patchSize(), up.numPatches());

        Path clips = clips();
        Dataset upTrain = FrameFolderDataset.classFolders(clips.resolve("upstream/train"), null);
        Dataset upTest = FrameFolderDataset.classFolders(clips.resolve("upstream/test"), upTrain.classNames());
        Dataset train = FrameFolderDataset.classFolders(clips.resolve("downstream/train"), null);
        Dataset val = FrameFolderDataset.classFolders(clips.resolve("downstream/val"), train.classNames());
        Dataset test = FrameFolderDataset.classFolders(clips.resolve("downstream/test"), train.classNames());
        log.printf(Locale.ROOT, "  upstream: %,d training clips of %d classes (5 garments x 4 axis motions)%n", upTrain.size(),
                upTrain.classNames().size());
        log.printf(Locale.ROOT, "  downstream: %d classes (footwear or other x 4 diagonal motions); %,d training, %,d "
                + "validation, %,d test clips%n", train.classNames().size(), train.size(), val.size(), test.size());

        Path backbone = backbone(upTrain, upTest);

        Map<String, VitConfig> methods = plan.methods();
        String[] v = plan.views().split("x");
        int clipViews = Integer.parseInt(v[0]), cropViews = Integer.parseInt(v[1]);
        log.printf(Locale.ROOT, "[3/4] fine-tuning %d methods, %d epochs each, batch %d, lr %.0e, best epoch by validation "
                + "top-1; tested on segment centres and on %s views%n", methods.size(), plan.finetune().epochs(),
                plan.finetune().batchSize(), plan.finetune().lr(), plan.views());
        List<MethodResult> rows = new ArrayList<>();
        List<LoaderData> views = new ArrayList<>();
        VitConfig down = methods.values().iterator().next();
        try (LoaderData tr = data(train, down, true); LoaderData va = data(val, down, false);
             LoaderData te = data(test, down, false)) {
            for (int k = 0; k < clipViews; k++) {
                for (int j = 0; j < cropViews; j++) {
                    TransformPipeline p = TransformPipeline.of(new SpatialCrop(down.imgSize(), j, cropViews), NORM)
                            .withFrames(FrameSampling.view(down.numFrames(), k, clipViews));
                    views.add(new LoaderData(test, p, p, workers, BadFilePolicy.STOP));
                }
            }
            Comparison cmp = new Comparison(backbone, plan.finetune(), tr, va, te, out,
                    progress == null ? null : name -> new ProgressBarListener(name, progress))
                    .recordRunInfo("data", "frames:" + clips.resolve("downstream")).recordRunInfo("norm", "half")
                    .testViews(views, plan.views());
            for (Map.Entry<String, VitConfig> m : methods.entrySet()) {
                MethodResult r = cmp.run(m.getKey(), m.getValue());
                rows.add(r);
                Charts.trainingCurves(m.getKey(), r.history(), out.resolve(m.getKey()).resolve("curves.png"));
                log.printf(Locale.ROOT, "      %-14s test top-1 %6.2f%%, %s views %6.2f%% (best epoch %d)%n", m.getKey(),
                        100 * r.top1(), plan.views(), 100 * r.viewsTop1(), r.bestEpoch());
            }

            log.println("[4/4] writing the table, charts and tubelet pictures");
            String table = CompareTable.text(rows, test.classNames().size(), true);
            ComparisonOutputs.write(rows, table, setup(clips, train, val, test), "Moving Fashion-MNIST clips: test top-1 vs cost", out);
            List<Path> pictures = pictures(cmp, methods.get("sparse-tuning"), test);

            log.println();
            log.printf(Locale.ROOT, "Moving Fashion-MNIST clips, %d classes, %d training clips, tested on %,d (single view: "
                    + "segment centres; %s: %d temporal clips x %d crops, softmax averaged); memory and speed at batch %d:%n",
                    test.classNames().size(), train.size(), test.size(), plan.views(), clipViews, cropViews,
                    plan.finetune().batchSize());
            log.print(table);
            log.println();
            ComparisonOutputs.list(log, out, pictures.size(), "tubelets");
            log.printf(Locale.ROOT, "Wall time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        } finally {
            views.forEach(LoaderData::close);
        }
        return rows;
    }

    /** The clips' folder: from the cache, or written now. */
    private Path clips() throws IOException {
        String recipe = CLIPS_VERSION + "\n" + plan.sizes().describe() + "\nseed " + plan.seed() + "\nfrom "
                + fashionTrain.source() + " (" + fashionTrain.size() + ") and " + fashionTest.source() + " ("
                + fashionTest.size() + ")";
        Path folder = BackboneCache.folder(cacheRoot, "video-demo-clips", recipe);
        if (Files.isDirectory(folder)) {
            log.printf(Locale.ROOT, "[1/4] clips: using the cached frame folders %s%n", folder);
            return folder;
        }
        log.printf(Locale.ROOT, "[1/4] clips: writing %,d videos of %d frames as frame folders (cached in %s)%n",
                plan.sizes().videos(), plan.sizes().frames(), folder);
        long t0 = System.nanoTime();
        MovingFashion.write(fashionTrain, fashionTest, plan.sizes(), plan.seed(), folder, log);
        log.printf(Locale.ROOT, "      done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return folder;
    }

    /** The pre-trained video backbone: from the cache, or trained now on the upstream clips and cached. */
    private Path backbone(Dataset upTrain, Dataset upTest) throws IOException {
        VitConfig up = plan.upstream();
        String recipe = ConfigJson.of(up) + "\n" + plan.pretrain().toJson() + "\nclips " + upTrain.size() + " "
                + CLIPS_VERSION + " " + plan.sizes().describe() + "\nseed " + plan.seed();
        Path folder = BackboneCache.folder(cacheRoot, "video-demo-vit", recipe);
        Path cached = fresh ? null : BackboneCache.find(folder);
        if (cached != null) {
            log.printf(Locale.ROOT, "[2/4] upstream: using the cached pre-trained video ViT %s%n", cached);
            return cached;
        }
        log.printf(Locale.ROOT, "[2/4] upstream: pre-training the video ViT on %,d clips, %d epochs (cached afterwards in %s)%n",
                upTrain.size(), plan.pretrain().epochs(), folder);
        long t0 = System.nanoTime();
        VisionTransformer model = new VisionTransformer(up, new Generator(plan.seed())).freezeBackbone();
        ProgressBarListener bar = progress == null ? null : new ProgressBarListener("pre-training  ", progress);
        EvalResult ev;
        try (LoaderData tr = data(upTrain, up, true); LoaderData te = data(upTest, up, false)) {
            new Trainer(model, plan.pretrain(), tr, null, null, bar == null ? TrainListener.NONE : bar).run();
            ev = Evaluator.evaluate(model, te, plan.pretrain().batchSize(), TrainListener.NONE);
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path file = BackboneCache.store(folder, model, recipe, up, plan.pretrain().toJson(), ev.top1(), seconds);
        log.printf(Locale.ROOT, "      upstream test top-1 %.2f%% on %,d clips of %d classes (%.0f s)%n", 100 * ev.top1(),
                ev.examples(), upTest.classNames().size(), seconds);
        return file;
    }

    /**
     * Clips read through the loader: in training one random frame per segment (no flip or crop: a mirrored clip
     * would move the other way, and the motion is the label), in evaluation the segment centres.
     */
    private LoaderData data(Dataset ds, VitConfig cfg, boolean train) {
        TransformPipeline eval = TransformPipeline.of(NORM).withFrames(FrameSampling.centres(cfg.numFrames()));
        TransformPipeline training = train ? TransformPipeline.of(NORM).withFrames(FrameSampling.training(cfg.numFrames())) : eval;
        return new LoaderData(ds, training, eval, workers, BadFilePolicy.STOP);
    }

    /** Strips of the first test clip of each class (up to {@code plan.pictures()}), by the Sparse-Tuning model. */
    @SuppressWarnings("try")
    private List<Path> pictures(Comparison cmp, VitConfig cfg, Dataset test) throws IOException {
        VisionTransformer model = cmp.build(cfg);
        Checkpoint.loadWeights(out.resolve("sparse-tuning").resolve("best"), model);
        TransformPipeline eval = TransformPipeline.of(NORM).withFrames(FrameSampling.centres(cfg.numFrames()));
        List<ModelInput> inputs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < test.classNames().size() && inputs.size() < plan.pictures(); c++) {
            for (int i = 0; i < test.size(); i++) {
                if (test.label(i) == c) {
                    Sample s = test.get(i, eval.frames(), null);
                    inputs.add(eval.input(s, () -> new Generator(0)));
                    names.add(String.format(Locale.ROOT, "test-%04d-%s", i, test.classNames().get(c)));
                    break;
                }
            }
        }
        int per = inputs.get(0).pixels().length;
        float[] px = new float[inputs.size() * per];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i).pixels(), 0, px, i * per, per);
        }
        List<Path> files = new ArrayList<>();
        try (TensorScope scope = TensorScope.open()) {
            Visualizer.draw(model, Tensor.of(px, cfg.inputShape(inputs.size())), NORM.mean(), NORM.std(), names,
                    test.classNames(), out.resolve("pictures")).forEach(d -> files.add(d.file()));
        }
        return files;
    }

    private ObjectNode setup(Path clips, Dataset train, Dataset val, Dataset test) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("clips", clips.toString());
        o.put("clip_sizes", plan.sizes().describe());
        o.set("upstream_config", ConfigJson.of(plan.upstream()));
        o.set("pretrain", plan.pretrain().toJson());
        o.set("finetune", plan.finetune().toJson());
        o.put("views", plan.views());
        o.put("train_examples", train.size());
        o.put("val_examples", val.size());
        o.put("test_examples", test.size());
        ObjectNode methods = o.putObject("methods");
        plan.methods().forEach((k, v) -> methods.set(k, ConfigJson.of(v)));
        return o;
    }
}
