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
    void calibrationTakesTheFastestOfThreeCallsThatFillABlock() throws Exception {
        double[] times = {0.1, 0.01, 0.02};
        int[] i = {0};
        assertEquals(5, Blocks.calibrate(() -> times[i[0]++], 0.05));
        assertEquals(3, i[0], "three calls that together outlast the block are enough");
    }

    @Test
    void calibrationRunsPastTheSlowFirstCallsOfACompilingEngine() throws Exception {
        // Three interpreted calls of 10 ms, then compiled ones of 10 us: the block must be sized for the latter.
        int[] i = {0};
        int reps = Blocks.calibrate(() -> i[0]++ < 3 ? 0.01 : 10e-6, 0.05);
        assertEquals(5000, reps);
        assertEquals(3 + 2000, i[0], "calls until one block's time was spent");
    }
}
