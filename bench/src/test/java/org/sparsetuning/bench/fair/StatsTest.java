package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianAndQuartilesOfAnOddCountInterpolateLikeNumpy() {
        Stats s = Stats.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0));
        assertEquals(3.0, s.median());
        assertEquals(2.0, s.q1());
        assertEquals(4.0, s.q3());
        assertEquals(5, s.n());
        assertEquals(2.0 / 3.0, s.spread(), 1e-12);
    }

    @Test
    void evenCountTakesTheMeanOfTheMiddlePair() {
        Stats s = Stats.of(List.of(1.0, 2.0, 3.0, 10.0));
        assertEquals(2.5, s.median());
        assertEquals(1.75, s.q1(), 1e-12);   // numpy.quantile([1,2,3,10], 0.25)
        assertEquals(4.75, s.q3(), 1e-12);
    }

    @Test
    void oneSlowRepetitionDoesNotMoveTheMedianOrTheSpreadMuch() {
        Stats s = Stats.of(List.of(1.0, 1.0, 1.02, 0.98, 1.0, 1.01, 0.99, 9.0));
        assertEquals(1.0, s.median(), 1e-12);
        assertEquals(0.015, s.spread(), 1e-9);   // quartiles 0.9975 and 1.0125
    }

    @Test
    void describeGivesMedianHalfSpreadAndCount() {
        assertEquals("3.000 s ±33% (n=5)", Stats.of(List.of(5.0, 1.0, 3.0, 2.0, 4.0)).describe("%.3f s"));
    }

    @Test
    void noTimingsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
    }
}
