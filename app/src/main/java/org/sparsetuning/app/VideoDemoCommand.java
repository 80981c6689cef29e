package org.sparsetuning.app;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.sparsetuning.app.job.BackboneCache;
import org.sparsetuning.app.video.VideoDemo;
import org.sparsetuning.data.readers.FashionMnist;
import org.sparsetuning.tensor.parallel.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sparse-tune video-demo}: Sparse-Tuning and three baselines on clips made from Fashion-MNIST. */
@Command(name = "video-demo", mixinStandardHelpOptions = true,
        description = {"The video demo: clips of a Fashion-MNIST garment crossing a 32x32 canvas in 12 frames (written once "
                + "as frame folders and cached), where the class is the garment group and the direction of motion.",
                "A 12-block video ViT (width 64, 8 frames in tubelets of 2x8x8) is pre-trained on 5 garments x 4 axis motions "
                + "(cached under $XDG_CACHE_HOME/sparse-tune or ~/.cache/sparse-tune); then Sparse-Tuning, full fine-tuning, "
                + "AdaptFormer and LoRA are fine-tuned on footwear/other x 4 diagonal motions and tested on segment centres "
                + "and with 2x1 multi-view testing.",
                "Prints the table and writes it, the charts and strips of kept tubelets to the output folder."})
public final class VideoDemoCommand implements CliCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/video-demo-DATE-TIME).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = FashionMnist.DEBIAN_DIR,
            description = "Fashion-MNIST's four IDX files. Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--cache", paramLabel = "DIR", description = "Clip and backbone cache (default: $XDG_CACHE_HOME/sparse-tune "
            + "or ~/.cache/sparse-tune).")
    Path cache;

    @Option(names = "--fresh", description = "Pre-train the backbone again even if one is cached.")
    boolean fresh;

    @Option(names = "--quick", hidden = true, description = "A shrunken demo of a few seconds (tests).")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--workers", defaultValue = "1",
            description = "Background frame-decoding threads. Default: ${DEFAULT-VALUE}.")
    int workers;

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
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be 0 or more, got " + workers);
        }
        FashionMnist fm = FashionMnist.in(dataDir);
        Path folder = out != null ? out
                : Path.of("runs", "video-demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path cacheRoot = cache != null ? cache : BackboneCache.root(System.getenv(), System.getProperty("user.home"));
        new VideoDemo(quick, fm.train(), fm.test(), folder, cacheRoot, fresh, workers, System.out,
                noProgress ? null : System.err).run();
        return 0;
    }
}
