package org.sparsetuning.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sparsetuning.app.progress.ProgressBarListener;
import org.sparsetuning.data.BadFilePolicy;
import org.sparsetuning.data.Dataset;
import org.sparsetuning.data.Seeds;
import org.sparsetuning.data.transforms.Normalize;
import org.sparsetuning.data.views.Subset;
import org.sparsetuning.vit.model.ConfigJson;
import org.sparsetuning.vit.model.VitConfig;
import org.sparsetuning.train.CompareTable;
import org.sparsetuning.train.Comparison;
import org.sparsetuning.train.LoaderData;
import org.sparsetuning.train.MethodResult;
import org.sparsetuning.train.TrainOptions;
import org.sparsetuning.app.viz.Charts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sparse-tune compare}: several methods on the same data and budget, as a paper-style table. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Fine-tune several methods from the same backbone on the same data with the same options, and print "
                + "the paper-style table: test top-1, trainable parameters, GFLOPs, peak training and inference memory "
                + "(tensor storage, at the batch size), training and inference images/s.",
                "A seeded --val-fraction of the training split picks each method's best epoch; the test split is only tested on. "
                + "OUT gets table.txt, compare.csv, compare.json, accuracy_vs_gflops.png, curves.png and one folder per method."})
public final class CompareCommand implements CliCommand {
    @Mixin
    ModelOptions model;

    @Mixin
    RunOptions run;

    @Mixin
    TrainFlags flags;

    @Option(names = "--methods", split = ",", paramLabel = "M",
            defaultValue = "sparse-tuning,full,linear-probe,adaptformer,lora,kadaptation",
            description = "Methods to compare. Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--data", required = true, paramLabel = "KIND:PATH", description = "Training and test data (as for train).")
    String data;

    @Option(names = "--val-fraction", defaultValue = "0.1",
            description = "Part of the training split held out to choose the best epoch (0: test the last epoch). Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--norm", defaultValue = "half", description = "half or imagenet. Default: ${DEFAULT-VALUE}.")
    String norm;

    @Option(names = "--views", paramLabel = "CLIPSxCROPS", description = "Clip models: also test each method with "
            + "multi-view testing, e.g. 2x3 (temporal clips x spatial crops, softmax averaged), beside the single view.")
    String views;

    @Option(names = "--workers", defaultValue = "2", description = "Background decoding threads. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Override
    public Integer call() throws Exception {
        run.apply();
        CliCommand.requireFolder(out, "--out");
        run.requireCpu("compare measures memory and throughput of the CPU backend");
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
        }
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("--methods: give at least one method");
        }
        DataSpec spec = DataSpec.parse(data);
        Dataset all = spec.open(DataSpec.Split.TRAIN);
        Dataset test = spec.open(DataSpec.Split.TEST);
        int classes = spec.trainingClasses(all);
        Map<String, VitConfig> configs = new LinkedHashMap<>();
        for (String m : methods) {
            configs.put(m, model.config(m, classes));
        }
        // Which methods sparsify, before hours of training: a baseline is dense unless --keep-rate or --ts-layers asks.
        System.out.println("Token Sparsification per method:");
        configs.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %s%n", k, sparsification(v)));
        int[] perm = Seeds.forPurpose(run.seed(), "compare-val", 0).permutation(all.size());
        int nVal = (int) Math.round(all.size() * valFraction);
        if (nVal >= all.size()) {
            throw new IllegalArgumentException("--val-fraction " + valFraction + " leaves no training examples");
        }
        Dataset train = nVal == 0 ? all : new Subset(all, sorted(Arrays.copyOfRange(perm, nVal, perm.length)), "train");
        Dataset val = nVal == 0 ? null : new Subset(all, sorted(Arrays.copyOf(perm, nVal)), "validation");
        Normalize normalize = Normalize.preset(norm);
        VitConfig first = configs.values().iterator().next();
        int channels = Inputs.channels(all, first);
        TrainOptions opts = flags.options(run.seed());
        Files.createDirectories(out);
        List<MethodResult> rows = new ArrayList<>();
        Views multi = views == null ? null : Views.parse(views);
        int testChannels = Inputs.channels(test, first);
        List<LoaderData> viewData = new ArrayList<>();
        try (LoaderData tr = new LoaderData(train, Inputs.training(first, channels, normalize, "none"),
                Inputs.evaluation(first, channels, normalize), workers, BadFilePolicy.STOP);
             LoaderData va = val == null ? null : data(val, first, channels, normalize);
             LoaderData te = data(test, first, testChannels, normalize)) {
            Comparison cmp = new Comparison(model.backbone(), opts, tr, va, te, out, name -> new ProgressBarListener(name, System.err))
                    .recordRunInfo("data", spec.toString()).recordRunInfo("norm", norm);
            if (multi != null) {
                for (var p : Inputs.views(first, testChannels, normalize, multi)) {
                    viewData.add(new LoaderData(test, p, p, workers, BadFilePolicy.STOP));
                }
                cmp.testViews(viewData, multi.toString());
            }
            for (Map.Entry<String, VitConfig> e : configs.entrySet()) {
                MethodResult r = cmp.run(e.getKey(), e.getValue());
                rows.add(r);
                Charts.trainingCurves(e.getKey(), r.history(), out.resolve(e.getKey()).resolve("curves.png"));
            }
        } finally {
            viewData.forEach(LoaderData::close);
        }
        String table = CompareTable.text(rows, classes, first.isClip());
        Files.writeString(out.resolve("table.txt"), table);
        CompareTable.writeCsv(rows, out.resolve("compare.csv"));
        ObjectNode setup = JsonNodeFactory.instance.objectNode();
        setup.put("data", spec.toString());
        setup.put("backbone", model.backbone() == null ? "" : model.backbone().toString());
        setup.set("options", opts.toJson());
        ObjectNode cfgs = setup.putObject("methods");
        configs.forEach((k, v) -> cfgs.set(k, ConfigJson.of(v)));
        CompareTable.writeJson(rows, setup, out.resolve("compare.json"));
        Charts.comparison("test top-1 vs GFLOPs", rows, out);
        System.out.printf(Locale.ROOT, "%s: %,d training, %,d validation, %,d test %s; batch %d, %d epochs%n", spec,
                train.size(), val == null ? 0 : val.size(), test.size(), first.isClip() ? "clips" : "images",
                opts.batchSize(), opts.epochs());
        System.out.print(table);
        System.out.println("written to " + out.toAbsolutePath());
        return 0;
    }

    /** "rho 0.7 at layers [4, 7, 10]" or "none (dense)". */
    static String sparsification(VitConfig c) {
        return c.sparsifies() ? String.format(Locale.ROOT, "rho %s at layers %s", c.keepRate(), c.tsLayers()) : "none (dense)";
    }

    private LoaderData data(Dataset ds, VitConfig cfg, int channels, Normalize normalize) {
        return new LoaderData(ds, Inputs.evaluation(cfg, channels, normalize), Inputs.evaluation(cfg, channels, normalize),
                workers, BadFilePolicy.STOP);
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }
}
