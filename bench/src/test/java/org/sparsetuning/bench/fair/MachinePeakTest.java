package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MachinePeakTest {
    @Test
    void peakIsCoresTimesClockTimesFmaWidth() {
        MachinePeak p = new MachinePeak(2, 3.75, 16, 2, "given");
        assertEquals(64, p.flopsPerCycle());
        assertEquals(480, p.gflops(), 1e-9);   // the issue's ~480 GFLOP/s on 2 cores
        assertTrue(p.describe().contains("2 cores x 3.75 GHz"), p.describe());
    }

    @Test
    void lanesComeFromTheWidestFmaInTheFlags() {
        assertEquals(16, MachinePeak.lanesFromFlags("processor\t: 0\nflags\t\t: fpu sse2 avx2 fma avx512f avx512bw\n"));
        assertEquals(8, MachinePeak.lanesFromFlags("flags\t\t: fpu sse2 avx avx2 fma\n"));
        assertEquals(4, MachinePeak.lanesFromFlags("flags\t\t: fpu sse2 avx\n"));
        assertEquals(4, MachinePeak.lanesFromFlags(""));
        assertEquals(8, MachinePeak.lanesFromFlags("flags\t\t: avx2 fma avx512fp16x\n"), "a flag that only starts with avx512f is not avx512f");
    }

    @Test
    void anOverriddenClockIsUsedAsGiven() {
        MachinePeak p = MachinePeak.of(1, 3.0);
        assertEquals(3.0, p.ghz());
        assertEquals(1, p.cores());
        assertEquals("--clock-ghz", p.clockSource());
    }
}
