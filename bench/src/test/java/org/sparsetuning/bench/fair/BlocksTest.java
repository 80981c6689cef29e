package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlocksTest {
    @Test
    void aBlockLastsAboutTheAskedTime() {
        assertEquals(1000, Blocks.reps(50e-6, 0.05));
        assertEquals(1, Blocks.reps(2.0, 0.05), "a call longer than a block is one call");
        assertEquals(100_000, Blocks.reps(1e-12, 0.05), "bounded");
        assertEquals(1, Blocks.reps(0, 0.05));
    }

    @Test
    void calibrationTakesTheFastestOfThreeCalls() throws Exception {
        double[] times = {0.1, 0.01, 0.02};
        int[] i = {0};
        assertEquals(5, Blocks.calibrate(() -> times[i[0]++], 0.05));
    }
}
