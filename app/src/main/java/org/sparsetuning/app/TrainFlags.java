package org.sparsetuning.app;

import org.sparsetuning.train.TrainOptions;
import picocli.CommandLine.Option;

/** The training options of {@code train} and {@code compare} (see {@link TrainOptions}). */
public final class TrainFlags {
    @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Examples per optimizer step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--accumulate", defaultValue = "1", paramLabel = "K",
            description = "Split each batch into K micro-batches whose gradients add up. Default: ${DEFAULT-VALUE}.")
    int accumulate;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--min-lr", defaultValue = "1e-5", description = "Learning rate at the end of the cosine. Default: ${DEFAULT-VALUE}.")
    double minLr;

    @Option(names = "--warmup-epochs", defaultValue = "1", description = "Linear warm-up. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "1e-4", description = "Decoupled weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(names = "--save-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Also checkpoint every STEPS steps inside an epoch (0: at epoch ends only). Default: ${DEFAULT-VALUE}.")
    int saveEvery;

    public TrainOptions options(long seed) {
        return new TrainOptions(epochs, batchSize, accumulate, lr, minLr, warmup, weightDecay, labelSmoothing, seed, saveEvery);
    }
}
