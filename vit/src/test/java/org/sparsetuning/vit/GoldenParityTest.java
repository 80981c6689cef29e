package org.sparsetuning.vit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's trace against the PyTorch reference's (tools/torchref, computed in float64), on the CPU: see
 * {@link GoldenTraces} for the tolerances.
 */
class GoldenParityTest {
    static String[] cases() {
        return GoldenTraces.CASES;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void traceMatchesReference(String name) throws Exception {
        System.out.println(GoldenTraces.check(name, GoldenTraces.run(name, null)));
    }
}
