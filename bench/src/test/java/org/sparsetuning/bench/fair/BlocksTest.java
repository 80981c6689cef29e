package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void calibrationTakesTheFastestCallOfTwoRoundsThatEachFillABlock() throws Exception {
        double[] times = {0.1, 0.01, 0.02, 0.02, 0.03, 0.04};
        int[] i = {0};
        assertEquals(5, Blocks.calibrate(() -> times[i[0]++], 0.05));
        assertEquals(6, i[0], "three calls per round, each round outlasting the block");
    }

    @Test
    void calibrationGoesOnWhileTheCallsKeepGettingFaster() throws Exception {
        // 2 ms calls that lose 10 us each until 30 us: rounds of 50 ms see them shrink slowly, round after round.
        int[] i = {0};
        int reps = Blocks.calibrate(() -> Math.max(30e-6, 2e-3 - 1e-5 * i[0]++), 0.05);
        assertEquals(1667, reps);
    }

    @Test
    void calibrationRunsPastTheSlowFirstCallsOfACompilingEngine() throws Exception {
        // Three interpreted calls of 10 ms, then compiled ones of 10 us: the block must be sized for the latter.
        int[] i = {0};
        int reps = Blocks.calibrate(() -> i[0]++ < 3 ? 0.01 : 10e-6, 0.05);
        assertEquals(5000, reps);
        assertTrue(i[0] >= 3 + 2000 + 5000, "two rounds of one block's time: " + i[0]);
    }
}
