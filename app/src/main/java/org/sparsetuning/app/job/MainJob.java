package org.sparsetuning.app.job;

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
import org.sparsetuning.data.Dataset;
import org.sparsetuning.vit.model.Checkpoints;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.train.Checkpoint;
import org.sparsetuning.train.CompareTable;
import org.sparsetuning.train.Comparison;
import org.sparsetuning.train.EvalResult;
import org.sparsetuning.train.Evaluator;
import org.sparsetuning.train.MethodResult;
import org.sparsetuning.app.progress.ProgressBarListener;
import org.sparsetuning.train.TensorData;
import org.sparsetuning.train.TrainListener;
import org.sparsetuning.train.Trainer;
import org.sparsetuning.app.viz.Charts;
import org.sparsetuning.app.viz.Visualizer;

/**
 * The main job: a miniature of the paper's experiment on Fashion-MNIST. A small ViT is pre-trained on five classes
 * (once; the backbone is cached), then Sparse-Tuning and five baselines are fine-tuned on a few-shot task over the
 * other five classes with the same data, options and budget; the table, the charts and a few token pictures are
 * written to the output folder.
 */
public final class MainJob {
    private final MainJobPlan plan;
    private final Dataset trainSplit;
    private final Dataset testSplit;
    private final Path out;
    private final Path cacheRoot;
    private final boolean fresh;
    private final PrintStream log;
    private final PrintStream progress;

    /**
     * @param fresh pre-train again even when a cached backbone exists
     * @param log where the job reports (standard output); {@code progress} gets the progress bars (or null)
     */
    public MainJob(MainJobPlan plan, Dataset trainSplit, Dataset testSplit, Path out, Path cacheRoot, boolean fresh,
            PrintStream log, PrintStream progress) {
        this.plan = plan;
        this.trainSplit = trainSplit;
        this.testSplit = testSplit;
        this.out = out;
        this.cacheRoot = cacheRoot;
        this.fresh = fresh;
        this.log = log;
        this.progress = progress;
    }

    /** Runs the whole job and returns the methods' results in table order. */
    public List<MethodResult> run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        VitConfig up = plan.upstream();
        log.printf(Locale.ROOT, "Sparse-Tuning vs five baselines on a Fashion-MNIST transfer task (data: %s)%n", trainSplit.source());
        log.printf(Locale.ROOT, "  model: ViT, depth %d, width %d, %d heads, patch %d on %dx%d images (%d tokens + CLS)%n",
                up.depth(), up.embedDim(), up.numHeads(), up.patchSize(), up.imgSize(), up.imgSize(), up.numPatches());
        FashionMnistTask task = new FashionMnistTask(trainSplit, testSplit, plan.upstreamLimit(), plan.shots(),
                plan.valPerClass(), plan.seed());
        log.printf(Locale.ROOT, "  upstream: %,d training images of %s%n", task.upstreamTrain.size(),
                String.join(", ", task.upstreamTrain.classNames()));
        log.printf(Locale.ROOT, "  downstream: %s; %,d training images (%d per class), %,d validation, %,d test%n",
                String.join(", ", task.train.classNames()), task.train.size(), plan.shots(), task.val.size(), task.test.size());

        Path backbone = backbone(task);

        Map<String, VitConfig> methods = plan.methods();
        log.printf(Locale.ROOT, "[2/3] fine-tuning %d methods, %d epochs each, batch %d, lr %.0e, best epoch by validation top-1%n",
                methods.size(), plan.finetune().epochs(), plan.finetune().batchSize(), plan.finetune().lr());
        Comparison cmp = new Comparison(backbone, plan.finetune(), task.train, task.val, task.test, out,
                progress == null ? null : name -> new ProgressBarListener(name, progress));
        List<MethodResult> rows = new ArrayList<>();
        for (Map.Entry<String, VitConfig> m : methods.entrySet()) {
            MethodResult r = cmp.run(m.getKey(), m.getValue());
            rows.add(r);
            Charts.trainingCurves(m.getKey(), r.history(), out.resolve(m.getKey()).resolve("curves.png"));
            log.printf(Locale.ROOT, "      %-14s test top-1 %6.2f%% (best epoch %d)%n", m.getKey(), 100 * r.top1(), r.bestEpoch());
        }

        log.println("[3/3] writing the table, charts and token pictures");
        String table = CompareTable.text(rows, task.test.classNames().size());
        ComparisonOutputs.write(rows, table, setup(task), "Fashion-MNIST few-shot: test top-1 vs cost", out);
        List<Path> pictures = pictures(cmp, methods.get("sparse-tuning"), task.test);

        log.println();
        log.printf(Locale.ROOT, "Few-shot Fashion-MNIST (%s), %d training images, tested on %,d; memory and speed at batch %d:%n",
                String.join(", ", task.train.classNames()), task.train.size(), task.test.size(), plan.finetune().batchSize());
        log.print(table);
        log.println();
        ComparisonOutputs.list(log, out, pictures.size(), "tokens");
        log.printf(Locale.ROOT, "Wall time: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return rows;
    }

    /** The pre-trained backbone: from the cache, or trained now and cached. */
    private Path backbone(FashionMnistTask task) throws IOException {
        VitConfig up = plan.upstream();
        String recipe = ConfigJson.of(up) + "\n" + plan.pretrain().toJson() + "\nimages " + task.upstreamTrain.size()
                + " of " + trainSplit.size() + "\nseed " + plan.seed();
        Path folder = BackboneCache.folder(cacheRoot, "fmnist-vit", recipe);
        Path cached = fresh ? null : BackboneCache.find(folder);
        if (cached != null) {
            log.printf(Locale.ROOT, "[1/3] upstream: using the cached pre-trained backbone %s%n", cached);
            return cached;
        }
        log.printf(Locale.ROOT, "[1/3] upstream: pre-training the ViT on %,d images, %d epochs (cached afterwards in %s)%n",
                task.upstreamTrain.size(), plan.pretrain().epochs(), folder);
        long t0 = System.nanoTime();
        VisionTransformer model = Checkpoints.build(up, plan.seed(), null, null);
        TrainListener bar = progress == null ? TrainListener.NONE : new ProgressBarListener("pre-training  ", progress);
        new Trainer(model, plan.pretrain(), task.upstreamTrain, null, null, bar).run();
        EvalResult ev = Evaluator.evaluate(model, task.upstreamTest, plan.pretrain().batchSize(), TrainListener.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path file = BackboneCache.store(folder, model, recipe, up, plan.pretrain().toJson(), ev.top1(), seconds);
        log.printf(Locale.ROOT, "      upstream test top-1 %.2f%% on %,d images (%.0f s)%n", 100 * ev.top1(), ev.examples(), seconds);
        return file;
    }

    /** Token pictures of the first test image of each class (up to {@code plan.pictures()}), by the Sparse-Tuning model. */
    private List<Path> pictures(Comparison cmp, VitConfig cfg, TensorData test) throws IOException {
        VisionTransformer model = cmp.build(cfg);
        Checkpoint.loadWeights(out.resolve("sparse-tuning").resolve("best"), model);
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < test.classNames().size() && chosen.size() < plan.pictures(); c++) {
            for (int i = 0; i < test.size(); i++) {
                if (test.label(i) == c) {
                    chosen.add(i);
                    break;
                }
            }
        }
        int[] idx = chosen.stream().mapToInt(Integer::intValue).toArray();
        List<String> names = new ArrayList<>();
        for (int i : idx) {
            names.add(String.format(Locale.ROOT, "test-%04d-%s", i, test.classNames().get(test.label(i)).replace(' ', '_')));
        }
        List<Path> files = new ArrayList<>();
        Visualizer.draw(model, test.batch(idx).images(), FashionMnistTask.MEAN, FashionMnistTask.STD, names,
                test.classNames(), out.resolve("pictures")).forEach(d -> files.add(d.file()));
        return files;
    }

    private ObjectNode setup(FashionMnistTask task) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("data", trainSplit.source());
        o.set("upstream_config", ConfigJson.of(plan.upstream()));
        o.set("pretrain", plan.pretrain().toJson());
        o.set("finetune", plan.finetune().toJson());
        o.put("train_examples", task.train.size());
        o.put("val_examples", task.val.size());
        o.put("test_examples", task.test.size());
        ObjectNode methods = o.putObject("methods");
        plan.methods().forEach((k, v) -> methods.set(k, ConfigJson.of(v)));
        return o;
    }
}
