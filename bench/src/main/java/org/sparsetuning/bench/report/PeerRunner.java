package org.sparsetuning.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs tools/bench/peers.py (OpenBLAS through numpy, and PyTorch CPU) for a list of cases at one thread
 * count, in the fair configuration: OpenBLAS and OpenMP limited to that many threads, and
 * OMP_WAIT_POLICY=PASSIVE so torch's OpenMP workers do not spin against OpenBLAS's.
 */
final class PeerRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String python;
    private final Path script;
    private final String blasCore;
    private String versions = "";

    /** blasCore: the OPENBLAS_CORETYPE to force, or null to leave the environment's. */
    PeerRunner(String python, Path script, String blasCore) {
        this.python = python;
        this.script = script;
        this.blasCore = blasCore;
    }

    /** SkylakeX (OpenBLAS's AVX-512 kernels) when this CPU has AVX-512F, else null (OpenBLAS decides). */
    static String fastestBlasCore() {
        try {
            String info = java.nio.file.Files.readString(Path.of("/proc/cpuinfo"));
            return info.contains(" avx512f") ? "SkylakeX" : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Null when the peers cannot run at all, with the reason. */
    String unavailableReason() {
        if (!Files.isRegularFile(script)) {
            return "peer script " + script + " not found (run from the repository root)";
        }
        if (!Files.isExecutable(Path.of(python))) {
            return python + " not found (apt-get install python3-numpy python3-torch libopenblas0-pthread)";
        }
        return null;
    }

    String versions() {
        return versions;
    }

    /** Seconds per case id for numpy ("numpy") and torch ("torch"); missing entries mean not measured. */
    Map<String, Map<String, Double>> run(List<BenchCase> cases, int threads) throws IOException, InterruptedException {
        ArrayNode arr = JSON.createArrayNode();
        for (BenchCase c : cases) {
            ObjectNode o = arr.addObject();
            o.put("id", c.id());
            o.put("op", c.op());
            ArrayNode sh = o.putArray("shape");
            for (int s : c.shape()) {
                sh.add(s);
            }
            o.put("threads", threads);
            o.put("layout", c.layout());
        }
        ProcessBuilder pb = new ProcessBuilder(python, script.toString());
        Map<String, String> env = pb.environment();
        String t = Integer.toString(threads);
        env.put("OPENBLAS_NUM_THREADS", t);
        env.put("OMP_NUM_THREADS", t);
        env.put("MKL_NUM_THREADS", t);
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        // OpenBLAS 0.3.21 does not recognise recent CPUs and some environments pin it to its AVX2 kernels
        // (OPENBLAS_CORETYPE=Haswell), which halves its speed on AVX-512 machines: compare against its
        // fastest kernels unless the user chose a core type with --blas-core.
        if (blasCore != null) {
            env.put("OPENBLAS_CORETYPE", blasCore);
        }
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(JSON.writeValueAsBytes(arr));
        }
        Map<String, Map<String, Double>> results = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                String id = n.path("id").asText();
                if (id.equals("_info")) {
                    versions = "numpy " + n.path("numpy").asText("absent") + " (BLAS " + n.path("blas_library").asText("?")
                            + ", OPENBLAS_CORETYPE=" + (blasCore != null ? blasCore : System.getenv().getOrDefault("OPENBLAS_CORETYPE", "auto"))
                            + "), torch " + n.path("torch").asText("absent");
                    continue;
                }
                Map<String, Double> m = new HashMap<>();
                if (n.hasNonNull("numpy_s")) {
                    m.put("numpy", n.get("numpy_s").asDouble());
                }
                if (n.hasNonNull("torch_s")) {
                    m.put("torch", n.get("torch_s").asDouble());
                }
                results.put(id, m);
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("peer script " + script + " did not finish within 30 minutes");
        }
        if (p.exitValue() != 0) {
            throw new IOException("peer script " + script + " failed (exit " + p.exitValue() + ")");
        }
        return results;
    }
}
