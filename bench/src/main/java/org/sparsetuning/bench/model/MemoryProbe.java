package org.sparsetuning.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sparsetuning.bench.fair.HeapSearch;
import org.sparsetuning.bench.fair.PeerEnvironment;
import org.sparsetuning.bench.fair.PeerProcess;

/**
 * Whole-process memory as a user provisions it, one child process per case and side, never the timed
 * process: for the engine, the smallest -Xmx with which a child JVM completes the case ({@link HeapSearch})
 * and that child's peak RSS; for PyTorch, the peak RSS of a fresh peer process that ran only the case.
 */
final class MemoryProbe {
    record EngineMemory(int heapMiB, double rssMiB, double trackerMiB, double cacheMiB, int trials) {
    }

    record TorchMemory(double rssMiB, double baselineMiB) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OOM_EXIT = EngineMemoryChild.OUT_OF_HEAP;   // -XX:+ExitOnOutOfMemoryError
    private final String preset;
    private final int frames;
    private final int tubelet;
    private final int threads;
    private final int steps;
    private final int maxHeapMiB;
    private final int resolutionMiB;

    MemoryProbe(String preset, int frames, int tubelet, int threads, int steps, int maxHeapMiB, int resolutionMiB) {
        this.preset = preset;
        this.frames = frames;
        this.tubelet = tubelet;
        this.threads = threads;
        this.steps = steps;
        this.maxHeapMiB = maxHeapMiB;
        this.resolutionMiB = resolutionMiB;
    }

    EngineMemory engine(ModelCase c) throws IOException, InterruptedException {
        Map<Integer, JsonNode> done = new HashMap<>();
        long t0 = System.nanoTime();
        JsonNode first = child(c, maxHeapMiB, 0);
        if (first == null) {
            throw new IOException("engine case " + c.id() + " does not complete even with -Xmx" + maxHeapMiB + "m (raise --max-heap)");
        }
        done.put(maxHeapMiB, first);
        // A trial that thrashes the collector instead of failing counts as not completing.
        long budget = 3 * (System.nanoTime() - t0) + TimeUnit.SECONDS.toNanos(30);
        // The peak heap in use with the largest heap bounds the search from above: no case needs more.
        int high = (int) Math.min(maxHeapMiB, Math.ceil(first.path("heap_peak_used_mib").asDouble(maxHeapMiB)) + resolutionMiB);
        HeapSearch.Trial trial = heap -> {
            JsonNode n = done.containsKey(heap) ? done.get(heap) : child(c, heap, budget);
            if (n != null) {
                done.put(heap, n);
            }
            System.err.printf(Locale.ROOT, "         -Xmx%dm: %s%n", heap, n == null ? "does not complete" : "completes");
            return n != null;
        };
        if (high < maxHeapMiB && !trial.completes(high)) {
            high = maxHeapMiB;   // the hint was too tight (a collector that needed more room): search up to the known good heap
        }
        int low = Math.min(64, high - 1);
        HeapSearch.Result r = new HeapSearch(low, high, resolutionMiB).find(trial);   // its first trial, at high, is cached
        JsonNode best = done.get(r.heapMiB());
        return new EngineMemory(r.heapMiB(), best.path("vmhwm_mib").asDouble(), best.path("tracker_peak_mib").asDouble(),
                best.path("cache_mib").asDouble(), r.trials() + 1);
    }

    /** Runs the case in a child JVM; its JSON line, or null when it ran out of heap or time. */
    private JsonNode child(ModelCase c, int heapMiB, long budgetNanos) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-XX:MaxRAM") && !a.startsWith("-agentlib")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx" + heapMiB + "m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                EngineMemoryChild.class.getName(), preset, Integer.toString(frames), Integer.toString(tubelet), c.kind(), c.method(), Double.toString(c.keepRate()),
                Integer.toString(c.adapterDim()), Integer.toString(c.batch()), Integer.toString(threads), Integer.toString(steps)));
        Path err = Files.createTempFile("bench-model-child", ".err");
        Path out = Files.createTempFile("bench-model-child", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (budgetNanos > 0 && !p.waitFor(budgetNanos, TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor();
                System.err.printf(Locale.ROOT, "         -Xmx%dm: over %.0f s (the collector thrashes), counted as not completing%n",
                        heapMiB, budgetNanos / 1e9);
                return null;
            }
            int exit = p.waitFor();
            if (exit == OOM_EXIT) {
                return null;
            }
            if (exit != 0) {
                List<String> lines = Files.readAllLines(err);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                throw new IOException("engine memory child for " + c.id() + " failed (exit " + exit + "):\n" + tail);
            }
            List<String> lines = Files.readAllLines(out);
            if (lines.isEmpty()) {
                throw new IOException("engine memory child for " + c.id() + " printed nothing");
            }
            return JSON.readTree(lines.get(lines.size() - 1));
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    /** The peer's peak RSS in a fresh process that sets up and runs only this case. */
    static TorchMemory torch(List<String> peerCommand, PeerEnvironment.Built env, ObjectNode caseJson, int steps) throws IOException {
        try (PeerProcess p = new PeerProcess("PyTorch memory child", peerCommand, env)) {
            p.setup(caseJson);
            for (int i = 0; i < steps; i++) {
                p.time(1);
            }
            JsonNode n = p.rss();
            return new TorchMemory(n.path("vmhwm_mib").asDouble(), n.path("baseline_mib").asDouble(Double.NaN));
        }
    }
}
