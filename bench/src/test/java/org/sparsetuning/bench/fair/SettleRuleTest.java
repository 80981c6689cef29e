package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettleRuleTest {
    private final SettleRule rule = new SettleRule(3, 0.05, 40, 120);

    @Test
    void notSettledBeforeTwoWindows() {
        assertFalse(rule.settled(List.of(1.0, 1.0, 1.0, 1.0, 1.0)));
    }

    @Test
    void settledWhenTheLastWindowAgreesWithTheOneBefore() {
        assertTrue(rule.settled(List.of(1.0, 0.99, 1.02, 1.01, 1.0, 0.98)));
    }

    @Test
    void theUnderWarmedFirstCaseOfTheIssueIsNotSettled() {
        // 2.34 s first, 0.95 s later: two fixed warm-up calls would have timed a still-warming engine.
        assertFalse(rule.settled(List.of(2.34, 1.6, 1.3, 1.1, 0.97, 0.95)));
        assertTrue(rule.settled(List.of(2.34, 1.6, 1.3, 1.1, 0.97, 0.95, 0.95, 0.96, 0.94)));
    }

    @Test
    void oneOutlierInAWindowDoesNotKeepItUnsettled() {
        assertTrue(rule.settled(List.of(1.0, 1.0, 1.0, 1.0, 3.0, 1.01)));
    }

    @Test
    void exhaustedByCallsOrSeconds() {
        assertFalse(rule.exhausted(39, 119));
        assertTrue(rule.exhausted(40, 1));
        assertTrue(rule.exhausted(1, 120));
    }

    @Test
    void rejectsARuleThatCouldNeverSettle() {
        assertThrows(IllegalArgumentException.class, () -> new SettleRule(3, 0.05, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new SettleRule(0, 0.05, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new SettleRule(3, 0, 40, 10));
    }
}
