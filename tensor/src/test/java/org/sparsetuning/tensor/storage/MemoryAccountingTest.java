package org.sparsetuning.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Tensor;

class MemoryAccountingTest {

    @Test
    void allocationAndReleaseMoveLiveBytes() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor t = Tensor.zeros(10, 10);
        assertEquals(base + 400, m.liveBytes());
        t.close();
        assertEquals(base, m.liveBytes());
        }
    }

    @Test
    void peakRemembersTheHighestPointSinceReset() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        m.resetPeak();
        Tensor a = Tensor.zeros(1000);
        Tensor b = Tensor.zeros(500);
        a.close();
        Tensor c = Tensor.zeros(100);
        assertEquals(base + 4 * 1500, m.peakBytes());
        b.close();
        c.close();
        m.resetPeak();
        assertEquals(base, m.peakBytes());
        }
    }

    @Test
    void viewsShareTheStorageAndCostNothing() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor t = Tensor.zeros(4, 6);
        Tensor v = t.transpose(0, 1).narrow(0, 1, 3);
        assertSame(t.storage(), v.storage());
        assertEquals(base + 96, m.liveBytes());
        v.close();
        assertEquals(base, m.liveBytes());
        }
    }

    @Test
    void retainedStorageOutlivesOneRelease() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor t = Tensor.zeros(8);
        t.storage().retain();
        t.close();
        assertEquals(base + 32, m.liveBytes());
        t.storage().release();
        assertEquals(base, m.liveBytes());
        assertThrows(IllegalStateException.class, () -> t.storage().release());
        }
    }

    @Test
    void readingAReleasedTensorFailsLoudly() {
        Tensor t = Tensor.zeros(3);
        t.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(0));
        assertTrue(e.getMessage().contains("already released"), e.getMessage());
    }

    @Test
    void scopeReleasesTemporariesButNotEscapedResults() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor kept;
        try (TensorScope outer = TensorScope.open()) {
            try (TensorScope inner = TensorScope.open()) {
                Tensor tmp = Tensor.zeros(100);
                kept = Tensor.zeros(10);
                inner.escape(kept.storage());
                assertEquals(base + 440, m.liveBytes());
                assertEquals(1, inner.size());
                assertTrue(!tmp.storage().isReleased());
            }
            // the temporary is gone; the escaped result now belongs to the outer scope
            assertEquals(base + 40, m.liveBytes());
            assertEquals(1, outer.size());
        }
        assertTrue(kept.storage().isReleased());
        assertEquals(base, m.liveBytes());
        }
    }

    @Test
    void scopeLeavesStorageThatSomeoneRetained() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor saved;
        try (TensorScope scope = TensorScope.open()) {
            saved = Tensor.zeros(25);
            saved.storage().retain(); // e.g. an autograd node saving it for backward
        }
        assertEquals(base + 100, m.liveBytes());
        saved.storage().release();
        assertEquals(base, m.liveBytes());
        }
    }

    @Test
    void escapingFromTheOutermostScopeLeavesTheStorageUnowned() {
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
        long base = 0;
        Tensor t;
        try (TensorScope scope = TensorScope.open()) {
            t = Tensor.zeros(5);
            scope.escape(t.storage());
        }
        assertEquals(base + 20, m.liveBytes());
        t.close();
        assertEquals(base, m.liveBytes());
        }
    }

    @Test
    void frozenStorageRefusesInPlaceWrites() {
        Tensor t = Tensor.zeros(4);
        int epoch = t.storage().frozenEpoch();
        t.storage().setFrozen(true);
        assertTrue(t.storage().frozenEpoch() != epoch);
        assertThrows(IllegalStateException.class, () -> t.fill(1));
        t.storage().setFrozen(false);
        t.fill(2);
        assertEquals(2.0, t.get(3));
    }

    @Test
    void globalCountersFollowAllocations() {
        MemoryTracker.resetPeak();
        Tensor t = Tensor.zeros(1 << 20);
        // garbage from other tests may be collected at any time, so only these bounds are exact here
        assertTrue(MemoryTracker.liveBytes() >= 4 << 20);
        assertTrue(MemoryTracker.peakBytes() >= MemoryTracker.liveBytes());
        long withT = MemoryTracker.liveBytes();
        t.close();
        assertTrue(MemoryTracker.liveBytes() <= withT - (4 << 20));
    }

    @Test
    void measurementIgnoresStorageAllocatedBeforeItOpened() {
        Tensor before = Tensor.zeros(50);
        try (MemoryTracker.Measurement m = MemoryTracker.measure()) {
            before.close();
            assertEquals(0, m.liveBytes());
            Tensor t = Tensor.zeros(50);
            assertEquals(200, m.liveBytes());
            t.close();
            assertEquals(0, m.liveBytes());
            assertEquals(200, m.peakBytes());
        }
    }
}
