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
    void waitsUntilAWindowWhereTheProcessesRanForAtMostATenthOfIt() {
        List<Long> slept = new ArrayList<>();
        // A peer's spinning thread: a whole 40 ms window, then 5 ms of it (too much), then 3 ms (idle enough).
        long ms = 1_000_000;
        Quiet q = scripted(List.of(100 * ms, 140 * ms, 145 * ms, 148 * ms), slept, 1000);
        q.await();
        assertEquals(List.of(40L, 40L, 40L), slept);
        assertTrue(q.describe().contains("idle processes 1 times"), q.describe());
    }

    @Test
    void aBusyMachineCostsOnlyTheBound() {
        List<Long> slept = new ArrayList<>();
        List<Long> ticks = new ArrayList<>();
        for (long t = 0; t < 100; t++) {
            ticks.add(t * 5_000_000);
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
    void cpuTimeIsTheSumOverTheProcessThreadsSchedstat() {
        assertEquals(415607855L, Quiet.parseSchedstat("415607855 192353008 946\n"));
        long self = Quiet.cpuNanos(ProcessHandle.current().pid());
        assertTrue(self > 0, "this JVM has run: " + self);
        assertEquals(0, Quiet.cpuNanos(-1), "an unreadable process counts nothing");
    }
}
