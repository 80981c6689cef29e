package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuietTest {
    /** A scripted CPU-time counter read once before the first window and once after each. */
    private static Quiet scripted(List<Long> ticks, List<Long> slept, long max) {
        Iterator<Long> it = ticks.iterator();
        return new Quiet(it::next, slept::add, 40, max);
    }

    @Test
    void waitsUntilAWindowAccruesAtMostOneTick() {
        List<Long> slept = new ArrayList<>();
        // A peer's spinning threads: 8 ticks per window, then 1 (idle within a tick), then it would be idle.
        Quiet q = scripted(List.of(100L, 108L, 116L, 117L), slept, 1000);
        q.await();
        assertEquals(List.of(40L, 40L, 40L), slept);
        assertTrue(q.describe().contains("idle processes 1 times"), q.describe());
    }

    @Test
    void aBusyMachineCostsOnlyTheBound() {
        List<Long> slept = new ArrayList<>();
        List<Long> ticks = new ArrayList<>();
        for (long t = 0; t < 100; t++) {
            ticks.add(t * 5);
        }
        Quiet q = scripted(ticks, slept, 200);
        q.await();
        assertEquals(5, slept.size());
        assertTrue(q.describe().contains("bound 1 times"), q.describe());
    }

    @Test
    void noneNeverSleeps() {
        Quiet.none().await();
    }

    @Test
    void ticksAreUtimePlusStimeEvenWithParenthesesInTheName() {
        String stat = "4242 (python3 (peer) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 123 45 0 0 20 0 3 0 100 0 0";
        assertEquals(168, Quiet.parseTicks(stat));
        assertTrue(Quiet.ticks(ProcessHandle.current().pid()) >= 0);
    }
}
