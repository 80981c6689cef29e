package org.sparsetuning.bench.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.storage.MemoryTracker;
import org.sparsetuning.vit.model.ModelTooLargeException;
import org.sparsetuning.vit.model.VitConfig;

/**
 * The engine's side of bench-model's memory measurement: a JVM that runs only one case (set up, then
 * {@code steps} calls, so a training step's optimizer moments exist) and prints one JSON line: the whole
 * process's peak resident memory (VmHWM), the engine's tensor peak (MemoryTracker, weights included) beside
 * its backend caches (packed frozen weights, {@code Backend.cachedBytes}), and the peak heap in use.
 * {@link MemoryProbe} starts it with -XX:+ExitOnOutOfMemoryError and a trial -Xmx; exit 3 means the heap
 * was too small.
 *
 * <p>Arguments: preset frames tubelet kind method keepRate adapterDim batch threads steps (frames 0: images).
 */
public final class EngineMemoryChild {
    private static final double MIB = 1024.0 * 1024.0;
    /** The exit code of -XX:+ExitOnOutOfMemoryError, which {@link MemoryProbe} reads as "the heap is too small". */
    static final int OUT_OF_HEAP = 3;

    private EngineMemoryChild() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 10) {
            System.err.println("EngineMemoryChild: expected 10 arguments (preset frames tubelet kind method keepRate adapterDim batch threads"
                    + " steps), got " + args.length);
            System.exit(2);
        }
        VitConfig preset = ModelBenchCommand.preset(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        ModelCase c = new ModelCase(args[3], args[4], Double.parseDouble(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
        Parallel.setThreads(Integer.parseInt(args[8]));
        int steps = Integer.parseInt(args[9]);
        EngineModelCase run;
        try {
            run = new EngineModelCase(c, EngineModelCase.config(c, preset));
        } catch (ModelTooLargeException e) {
            // Refused before allocating: for the heap search the same answer as running out of heap.
            System.err.println("EngineMemoryChild: " + e.getMessage());
            System.exit(OUT_OF_HEAP);
            return;
        }
        for (int i = 0; i < steps; i++) {
            run.run();
        }
        double cache = Backends.cpu().cachedBytes() / MIB;
        double heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                heapPeak += p.getPeakUsage().getUsed() / MIB;
            }
        }
        java.lang.ref.Reference.reachabilityFence(run);
        var o = new ObjectMapper().createObjectNode()
                .put("vmhwm_mib", statusKib("VmHWM") / 1024.0)
                .put("tracker_peak_mib", MemoryTracker.peakBytes() / MIB)
                .put("cache_mib", cache)
                .put("heap_peak_used_mib", heapPeak);
        System.out.println(o);
        System.out.flush();
        System.exit(0);
    }

    static long statusKib(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("/proc/self/status has no " + field + " line");
    }
}
