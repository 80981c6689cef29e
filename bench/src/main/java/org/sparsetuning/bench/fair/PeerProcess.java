package org.sparsetuning.bench.fair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python peer (tools/bench/peers.py or vit_torch.py) kept running while the Java side drives it through
 * tools/bench/peer_server.py's protocol, started with a {@link PeerEnvironment}. One process per side and
 * thread count; a fresh one per case when its memory is measured.
 */
public final class PeerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String name;
    private final Process process;
    private final OutputStream in;
    private final BufferedReader out;

    public PeerProcess(String name, List<String> command, PeerEnvironment.Built env) throws IOException {
        this.name = name;
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        PeerEnvironment.apply(env, pb);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        this.process = pb.start();
        this.in = process.getOutputStream();
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The peer's process id (to wait for its threads to go idle between turns: {@link Quiet}). */
    public long pid() {
        return process.pid();
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Sends one command and returns the answer; a peer error or a dead peer is an IOException naming it. */
    public JsonNode call(ObjectNode msg) throws IOException {
        in.write(JSON.writeValueAsBytes(msg));
        in.write('\n');
        in.flush();
        String line = out.readLine();
        if (line == null) {
            throw new IOException(name + " ended while answering '" + msg.path("cmd").asText() + "'"
                    + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")"));
        }
        JsonNode n = JSON.readTree(line);
        if (n.hasNonNull("error")) {
            throw new IOException(name + " failed on '" + msg.path("cmd").asText() + "': " + n.get("error").asText());
        }
        return n;
    }

    public JsonNode info() throws IOException {
        return call(object().put("cmd", "info"));
    }

    public void setup(ObjectNode c) throws IOException {
        ObjectNode msg = object().put("cmd", "setup");
        msg.set("case", c);
        call(msg);
    }

    /** Mean seconds per call over {@code reps} back-to-back calls of the set-up case. */
    public double time(int reps) throws IOException {
        return call(object().put("cmd", "time").put("reps", reps)).path("seconds").asDouble();
    }

    public JsonNode rss() throws IOException {
        return call(object().put("cmd", "rss"));
    }

    @Override
    public void close() throws IOException {
        try {
            in.write("{\"cmd\":\"quit\"}\n".getBytes(StandardCharsets.UTF_8));
            in.close();
        } catch (IOException e) {
            // already gone: waitFor below reports nothing more useful than the error that ended it
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
