package org.sparsetuning.vit.app;

import org.sparsetuning.tensor.parallel.Parallel;
import picocli.CommandLine.Option;

/** Options every compute command shares: device, threads, seed. */
public final class RunOptions {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV",
            description = "Where to compute: cpu, or opencl[:N] (not available in this build yet). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initialisation, data order and splits. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** Checks the device and sets the thread count; call first in a command. */
    public void apply() {
        Device.parse(device).requireAvailable();
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
    }

    public long seed() {
        return seed;
    }
}
