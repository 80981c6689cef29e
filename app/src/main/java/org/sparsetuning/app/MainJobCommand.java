package org.sparsetuning.app;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.sparsetuning.app.job.BackboneCache;
import org.sparsetuning.app.job.MainJob;
import org.sparsetuning.app.job.MainJobPlan;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.tensor.parallel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparse-tune main} (also {@code demo}; what {@code ./sparse-tune} runs with no arguments). */
@Command(name = "main", aliases = "demo", mixinStandardHelpOptions = true,
        description = {"The main job: a miniature of the paper's experiment on Fashion-MNIST (Debian's dataset-fashion-mnist).",
                "A 12-block ViT (width 64, patch 7) is pre-trained on T-shirt/top, Trouser, Pullover, Dress and Coat (cached "
                + "under $XDG_CACHE_HOME/sparse-tune or ~/.cache/sparse-tune); then Sparse-Tuning, full fine-tuning, linear "
                + "probe, AdaptFormer, LoRA and KAdaptation are fine-tuned on 1,000 images (200 per class) of Sandal, Shirt, "
                + "Sneaker, Bag and Ankle boot and tested on their 5,000 test images.",
                "Prints the table and writes it, the charts and token pictures to the output folder."})
public final class MainJobCommand implements CliCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/main-DATE-TIME).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = FashionMnist.DEBIAN_DIR,
            description = "Fashion-MNIST's four IDX files. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--cache", paramLabel = "DIR", description = "Backbone cache (default: $XDG_CACHE_HOME/sparse-tune or ~/.cache/sparse-tune).")
    Path cache;

    @Option(names = "--fresh", description = "Pre-train the backbone again even if one is cached.")
    boolean fresh;

    @Option(names = "--quick", hidden = true, description = "A shrunken job of a few seconds (tests).")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--no-progress", description = "No progress bars (logs only).")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        FashionMnist fm = FashionMnist.in(dataDir);
        Path folder = out != null ? out
                : Path.of("runs", "main-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path cacheRoot = cache != null ? cache : BackboneCache.root(System.getenv(), System.getProperty("user.home"));
        new MainJob(quick ? MainJobPlan.quick() : MainJobPlan.standard(), fm.train(), fm.test(), folder, cacheRoot, fresh,
                System.out, noProgress ? null : System.err).run();
        return 0;
    }
}
