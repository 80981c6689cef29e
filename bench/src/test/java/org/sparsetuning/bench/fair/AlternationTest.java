package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scripted samplers: no clock is read, each sample returns the next scripted time and logs the side. */
class AlternationTest {
    private final List<String> log = new ArrayList<>();

    private Sampler scripted(String name, double... times) {
        int[] i = {0};
        return () -> {
            log.add(name);
            double t = times[Math.min(i[0], times.length - 1)];
            i[0]++;
            return t;
        };
    }

    @Test
    void warmsEachSideUntilSettledThenAlternatesTurns() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        // The engine needs 3 slow calls before it settles at 1.0; the peer is steady at 2.0 from the start.
        sides.put("engine", scripted("engine", 5, 4, 3, 1, 1, 1, 1, 1, 1, 1));
        sides.put("torch", scripted("torch", 2));
        Map<String, Alternation.Result> r = new Alternation(new SettleRule(3, 0.05, 40, 1000), 4, 100, 0).run(sides);

        assertEquals(8, r.get("engine").warmupCalls());   // windows [3 1 1] and [1 1 1] agree in their medians at the 8th call
        assertEquals(6, r.get("torch").warmupCalls());
        assertTrue(r.get("engine").settled());
        List<String> measured = log.subList(14, log.size());
        assertEquals(List.of("engine", "torch", "engine", "torch", "engine", "torch", "engine", "torch"), measured);
        assertEquals(1.0, r.get("engine").stats().median());
        assertEquals(2.0, r.get("torch").stats().median());
        assertEquals(4, r.get("torch").stats().n());
    }

    @Test
    void tellsAProfilerWhenTheMeasuredRepetitionsStartAndEnd() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        sides.put("engine", scripted("engine", 5, 4, 3, 1, 1, 1, 1, 1, 1, 1));
        sides.put("torch", scripted("torch", 2));
        new Alternation(new SettleRule(3, 0.05, 40, 1000), 2, 100, 0)
                .measuring(on -> log.add(on ? "measuring" : "not measuring")).run(sides);
        // Off before the warm-ups (8 engine calls, 6 torch calls), on for the alternated turns, off at the end.
        assertEquals("not measuring", log.get(0));
        assertEquals("measuring", log.get(15));
        assertEquals(List.of("engine", "torch", "engine", "torch", "not measuring"), log.subList(16, log.size()));
    }

    @Test
    void measuresUntilTheMinimumSecondsAcrossSidesThenStops() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        sides.put("engine", scripted("engine", 1));
        sides.put("torch", scripted("torch", 1));
        // 2 s a round: 10 s need 5 rounds although 2 were asked for.
        Map<String, Alternation.Result> r = new Alternation(new SettleRule(1, 0.05, 10, 1000), 2, 100, 10).run(sides);
        assertEquals(5, r.get("engine").stats().n());
        assertEquals(5, r.get("torch").stats().n());
    }

    @Test
    void budgetsCountTheWallTimeOfBlocksNotTheirPerCallTimes() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        // 0.1 s per call in blocks of 10: each repetition takes 1 s of wall time, so a round takes 2 s and 10 s
        // need 5 rounds (counting 0.1 s a repetition would have taken 50).
        sides.put("engine", Sampler.block(10, scripted("engine", 0.1)));
        sides.put("torch", Sampler.block(10, scripted("torch", 0.1)));
        Map<String, Alternation.Result> r = new Alternation(new SettleRule(1, 0.05, 10, 1000), 2, 100, 10).run(sides);
        assertEquals(5, r.get("engine").stats().n());
        assertEquals(0.1, r.get("engine").stats().median());
    }

    @Test
    void stopsAtMaxRunsAndFlagsAnUnsettledWarmUp() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        sides.put("engine", scripted("engine", 1, 2, 4, 8, 16, 32, 64, 128));
        Map<String, Alternation.Result> r = new Alternation(new SettleRule(1, 0.05, 6, 1e9), 1, 3, 1e9).run(sides);
        assertFalse(r.get("engine").settled());
        assertEquals(6, r.get("engine").warmupCalls());
        assertEquals(3, r.get("engine").stats().n());
    }

    @Test
    void keepsEachSidesTimesInTurnOrderSoRoundsCanBePaired() throws Exception {
        Map<String, Sampler> sides = new LinkedHashMap<>();
        // Both settle in their first two windows (six equal calls), then the machine slows down in the third round.
        sides.put("sparse", scripted("sparse", 1, 1, 1, 1, 1, 1, 0.6, 0.7, 1.4, 0.6));
        sides.put("dense", scripted("dense", 2, 2, 2, 2, 2, 2, 1.0, 1.0, 2.0, 1.0));
        Map<String, Alternation.Result> r = new Alternation(new SettleRule(3, 0.05, 40, 1000), 4, 4, 0).run(sides);
        assertEquals(List.of(0.6, 0.7, 1.4, 0.6), r.get("sparse").times());
        assertEquals(List.of(1.0, 1.0, 2.0, 1.0), r.get("dense").times());
    }
}
