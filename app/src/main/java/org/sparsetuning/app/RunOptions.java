package org.sparsetuning.app;

import org.sparsetuning.nn.Module;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.parallel.Parallel;
import picocli.CommandLine.Option;

/** Options every compute command shares: device, threads, seed. */
public final class RunOptions {
    /**
     * The most threads accepted: far above any machine's cores (the team starts a worker only when a job can use
     * it). The bound dates from the ForkJoinPool the team replaced, whose limit it was.
     */
    static final int MAX_THREADS = 32767;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEV",
            description = "Where to compute: cpu, or opencl[:N] (the N-th OpenCL device in clinfo -l order). Default: ${DEFAULT-VALUE}.")
    String device;

    private Device selected;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the initialisation, data order and splits. Default: ${DEFAULT-VALUE}.")
    long seed;

    /**
     * Opens the device (an unavailable one fails here, with the reason: no loader, no platform, no device) and
     * sets the thread count; call first in a command.
     */
    public void apply() {
        try {
            selected = Devices.select(device);   // the one parser of device specs; an unavailable device says why
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device " + device + ": " + e.getMessage(), e);
        }
        if (threads != null) {
            if (threads < 1 || threads > MAX_THREADS) {
                throw new IllegalArgumentException("--threads must be between 1 and " + MAX_THREADS + ", got " + threads);
            }
            Parallel.setThreads(threads);
        }
    }

    /** The device chosen with --device (after {@link #apply()}). */
    public Device device() {
        if (selected == null) {
            throw new IllegalStateException("RunOptions.apply() was not called");
        }
        return selected;
    }

    /** Moves the model to the chosen device (weights, and from then on its activations and gradients). */
    public <M extends Module> M place(M model) {
        if (!device().isCpu()) {
            model.to(device());
        }
        return model;
    }

    /** For commands that measure or run on the CPU only: a clear error when another device was asked for. */
    public void requireCpu(String why) {
        if (!device().isCpu()) {
            throw new IllegalArgumentException("--device " + device + ": " + why + "; use --device cpu");
        }
    }

    public long seed() {
        return seed;
    }
}
