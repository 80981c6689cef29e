package org.sparsetuning.bench.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.sparsetuning.vit.model.VitConfig;

/**
 * Runs one case of tools/bench/vit_torch.py (PyTorch CPU with the project's reference model) at a thread count:
 * OpenMP limited to those threads and passive, and every large buffer its own mapping
 * (MALLOC_MMAP_THRESHOLD_), so that resident memory follows live tensor bytes.
 */
final class TorchModelPeer {
    record Result(double seconds, int runs, double peakMiB, double savedMiB) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String python;
    private final Path script;
    private String version = "?";

    TorchModelPeer(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    String unavailableReason() {
        if (!Files.isRegularFile(script)) {
            return "peer script " + script + " not found (run from the repository root)";
        }
        if (!Files.isExecutable(Path.of(python))) {
            return python + " not found (apt-get install python3-torch)";
        }
        return null;
    }

    String version() {
        return version;
    }

    Result run(ModelCase c, VitConfig cfg, int threads, double seconds, int runs) throws IOException, InterruptedException {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", c.id());
        o.put("kind", c.kind());
        o.put("method", c.method());
        o.put("keep_rate", c.keepRate());
        o.put("adapter_dim", c.adapterDim());
        o.put("batch", c.batch());
        o.put("img_size", cfg.imgSize());
        o.put("embed_dim", cfg.embedDim());
        o.put("depth", cfg.depth());
        o.put("num_heads", cfg.numHeads());
        o.put("seconds", seconds);
        o.put("runs", runs);
        ProcessBuilder pb = new ProcessBuilder(python, script.toString());
        String t = Integer.toString(threads);
        pb.environment().put("OMP_NUM_THREADS", t);
        pb.environment().put("OPENBLAS_NUM_THREADS", t);
        pb.environment().put("MKL_NUM_THREADS", t);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(JSON.createArrayNode().add(o)));
        }
        Result result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                if (n.path("id").asText().equals("_info")) {
                    version = "torch " + n.path("torch").asText("?") + ", " + n.path("threads").asInt() + " threads";
                } else if (n.path("id").asText().equals(c.id())) {
                    result = new Result(n.path("seconds").asDouble(Double.NaN), n.path("runs").asInt(),
                            n.path("peak_mib").asDouble(Double.NaN), n.path("saved_mib").asDouble(Double.NaN));
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("peer " + script + " did not finish case " + c.id() + " within 30 minutes");
        }
        if (p.exitValue() != 0 || result == null) {
            throw new IOException("peer " + script + " failed on case " + c.id() + " (exit " + p.exitValue() + ")");
        }
        return result;
    }
}
