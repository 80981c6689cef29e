package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapSearchTest {
    @Test
    void findsTheSmallestCompletingHeapWithinTheResolution() throws Exception {
        List<Integer> tried = new ArrayList<>();
        // A case that needs 1400 MiB (the Sparse-Tuning step of the issue OOMed at -Xmx1400m ... completes above).
        HeapSearch.Result r = new HeapSearch(64, 4096, 32).find(h -> {
            tried.add(h);
            return h > 1400;
        });
        assertTrue(r.heapMiB() > 1400 && r.heapMiB() <= 1400 + 32, "found " + r.heapMiB());
        assertEquals(tried.size(), r.trials());
        assertTrue(r.trials() <= 2 + 7, "bisection of 4032 MiB to 32 MiB takes at most 7 steps, took " + r.trials());
        assertEquals(List.of(4096, 64), tried.subList(0, 2));
    }

    @Test
    void aLowBoundThatCompletesIsTheAnswer() throws Exception {
        assertEquals(64, new HeapSearch(64, 4096, 32).find(h -> true).heapMiB());
    }

    @Test
    void aCaseThatFailsEvenAtTheHighBoundIsAnErrorNamingIt() {
        IOException e = assertThrows(IOException.class, () -> new HeapSearch(64, 4096, 32).find(h -> false));
        assertTrue(e.getMessage().contains("-Xmx4096m"), e.getMessage());
    }

    @Test
    void rejectsAnEmptyRange() {
        assertThrows(IllegalArgumentException.class, () -> new HeapSearch(100, 100, 32));
        assertThrows(IllegalArgumentException.class, () -> new HeapSearch(0, 100, 32));
    }
}
