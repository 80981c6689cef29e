package org.sparsetuning.vit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsetuning.nn.MlpMemory;

/**
 * The engine's trace against the PyTorch reference's (tools/torchref, computed in float64): logits and
 * loss within 1e-4 relative, every gradient within 1e-3 (‖a−b‖/‖b‖), kept tokens identical. Every case directory
 * under src/test/resources/golden runs; {@code -Dgolden.extra=DIR} adds every case directory under DIR (cases
 * made elsewhere in the same format: config.json, backbone, weights, input and trace safetensors).
 */
class GoldenParityTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Path dir(String c) {
        return GOLDEN.resolve(c);
    }

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>(caseDirs(GOLDEN));
        String extra = System.getProperty("golden.extra", "");
        if (!extra.isBlank()) {
            out.addAll(caseDirs(Path.of(extra)));
        }
        return out.stream();
    }

    private static List<Path> caseDirs(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            List<Path> dirs = s.filter(d -> Files.isRegularFile(d.resolve("trace.safetensors"))).sorted().toList();
            assertFalse(dirs.isEmpty(), "no golden cases under " + root.toAbsolutePath());
            return dirs;
        }
    }

    @Test
    void everyCommittedCaseIsFound() throws IOException {
        // Guards the directory scan: these cases must be among those that run.
        List<String> names = caseDirs(GOLDEN).stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of(GoldenTraces.CASES)), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void traceMatchesReference(Path d) throws Exception {
        System.out.println(GoldenTraces.check(d, GoldenTraces.run(d, null)));
    }

    /** The same traces with frozen MLPs recomputing their hidden activation in backward instead of keeping it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void traceMatchesReferenceWithMlpHiddenRecomputed(Path d) throws Exception {
        String before = System.setProperty(MlpMemory.PROPERTY, "false");
        try {
            System.out.println(GoldenTraces.check(d, GoldenTraces.run(d, null)));
        } finally {
            if (before == null) {
                System.clearProperty(MlpMemory.PROPERTY);
            } else {
                System.setProperty(MlpMemory.PROPERTY, before);
            }
        }
    }
}
