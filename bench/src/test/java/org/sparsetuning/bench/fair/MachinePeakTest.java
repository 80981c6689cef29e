package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachinePeakTest {
    @Test
    void peakIsCoresTimesClockTimesFlopsPerCycle() {
        MachinePeak p = new MachinePeak(2, 3.75, 64, "given", "given");
        assertEquals(480, p.gflops(), 1e-9);   // two Intel cores with two 512-bit FMA pipes at 3.75 GHz
        assertEquals(240, new MachinePeak(2, 3.75, 32, "given", "given").gflops(), 1e-9);   // Zen 4 at the same clock
        assertTrue(p.describe().contains("2 cores x 3.75 GHz"), p.describe());
    }

    @Test
    void measuredFlopsPerCycleRoundToThePowerOfTwoNearestInRatio() {
        assertEquals(32, MachinePeak.nearestPowerOfTwo(29.5));
        assertEquals(32, MachinePeak.nearestPowerOfTwo(40));
        assertEquals(64, MachinePeak.nearestPowerOfTwo(50));
        assertEquals(16, MachinePeak.nearestPowerOfTwo(17.2));
        assertThrows(IllegalArgumentException.class, () -> MachinePeak.nearestPowerOfTwo(0));
        assertThrows(IllegalArgumentException.class, () -> MachinePeak.nearestPowerOfTwo(Double.NaN));
    }

    @Test
    void anOverriddenClockIsUsedAsGivenAndTheFmaWidthIsMeasured() {
        MachinePeak p = MachinePeak.of(1, 3.0);
        assertEquals(3.0, p.ghz());
        assertEquals(1, p.cores());
        assertEquals("--clock-ghz", p.clockSource());
        assertTrue(p.flopsPerCycle() >= 4 && p.flopsPerCycle() <= 128, p.describe());
    }
}
