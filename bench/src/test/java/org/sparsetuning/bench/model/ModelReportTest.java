package org.sparsetuning.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.bench.fair.Alternation;
import org.sparsetuning.bench.fair.MachinePeak;
import org.sparsetuning.bench.fair.Stats;
import org.sparsetuning.vit.model.VitConfig;

class ModelReportTest {
    private static final MachinePeak PEAK = new MachinePeak(2, 3.0, 64, "test", "test");

    private static Alternation.Result timed(Double... times) {
        List<Double> t = List.of(times);
        return new Alternation.Result(Stats.of(t), t, 3, true);
    }

    private static ModelReport report(boolean sameTurns, Alternation.Result sparseEngine, Alternation.Result denseEngine,
                                      Alternation.Result sparseTorch, Alternation.Result denseTorch) {
        ModelReport r = new ModelReport(PEAK);
        r.add(new ModelReport.Row(new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, 0.7, 32, 8), 66, sparseEngine, sparseTorch,
                null, null, sameTurns));
        r.add(new ModelReport.Row(new ModelCase(ModelCase.TRAIN, VitConfig.SPARSE_TUNING, 1.0, 32, 8), 100, denseEngine, denseTorch,
                null, null, sameTurns));
        return r;
    }

    @Test
    void timedTogetherTheRatioIsTheMedianOfTheRoundsRatios() {
        // The machine slows down 2x after the second round: both cases' times double, their ratio stays 0.66.
        Alternation.Result sparse = timed(0.66, 0.66, 1.32, 1.32, 1.32);
        Alternation.Result dense = timed(1.0, 1.0, 2.0, 2.0, 2.0);
        assertEquals(0.66, ModelReport.perRound(sparse, dense).median(), 1e-12);
        assertEquals(0, ModelReport.perRound(sparse, dense).spread(), 1e-12);
        assertEquals(List.of("train sparse/dense time: engine 0.66 ±0%, torch 0.50 ±0% (per round of one alternation);"
                        + " FLOP ratio 0.66 (engine 0.0% off it)"),
                report(true, sparse, dense, timed(1.0, 1.0, 2.0, 2.0, 2.0), timed(2.0, 2.0, 4.0, 4.0, 4.0)).ratios());
    }

    @Test
    void timedApartTheRatioIsThatOfTheMediansAndSaysSo() {
        // The same times, timed in separate alternations: the medians' ratio is all there is.
        List<String> lines = report(false, timed(0.66, 0.66, 1.32, 1.32, 1.32), timed(2.0, 2.0, 2.0, 1.0, 1.0), null, null).ratios();
        assertEquals(List.of("train sparse/dense time: engine 0.66, torch - (medians of separate alternations);"
                + " FLOP ratio 0.66 (engine 0.0% off it)"), lines);
        lines = report(false, timed(1.32), timed(1.0), null, null).ratios();
        assertEquals("train sparse/dense time: engine 1.32, torch - (medians of separate alternations);"
                + " FLOP ratio 0.66 (engine 100.0% off it)", lines.get(0));
    }

    @Test
    void sidesOfDifferentAlternationsHaveNoRoundsToPair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelReport.perRound(timed(1.0, 1.0), timed(1.0, 1.0, 1.0)));
        assertEquals("per-round ratio: 2 against 3 repetitions; the sides were not timed in one alternation", e.getMessage());
    }
}
