package org.sparsetuning.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A storage that holds an arrangement instead of its array: when it may, and how the array comes back. */
class FloatStorageArrangementTest {
    /** The elements reversed, plus {@code pad} trailing zeros: a stand-in for packed panels. */
    private static final class Reversed implements FloatStorage.Arrangement {
        final float[] held;
        final int length;

        Reversed(float[] plain, int pad) {
            length = plain.length;
            held = new float[plain.length + pad];
            for (int i = 0; i < plain.length; i++) {
                held[plain.length - 1 - i] = plain[i];
            }
        }

        @Override
        public void unpackInto(float[] dst) {
            for (int i = 0; i < length; i++) {
                dst[i] = held[length - 1 - i];
            }
        }

        @Override
        public long floats() {
            return held.length;
        }
    }

    @Test
    void onlyAFrozenStorageTradesItsArrayAndAnyReadBringsItBack() {
        float[] values = {1, 2, 3, 4, 5};
        FloatStorage s = new FloatStorage(values.clone());
        float[] plain = s.array();
        assertFalse(s.rearrange(plain, new Reversed(plain, 0)), "not frozen: refused");
        s.setFrozen(true);
        assertFalse(s.rearrange(new float[5], new Reversed(plain, 0)), "made from another array: refused");
        long cached = MemoryTracker.cachedBytes();
        Reversed r = new Reversed(plain, 3);
        assertTrue(s.rearrange(plain, r));
        assertSame(r, s.arrangement());
        assertEquals(5, s.length(), "the length does not unpack");
        assertEquals(cached + 4 * 3, MemoryTracker.cachedBytes(), "padding is counted as a cache");
        assertEquals(3.0, s.getDouble(2), "an element read unpacks");
        assertNull(s.arrangement());
        assertArrayEquals(values, s.array());
        assertEquals(cached, MemoryTracker.cachedBytes(), "padding released with the arrangement");
        s.setFrozen(false);
    }

    @Test
    void releasingDropsTheArrangementAndItsPadding() {
        FloatStorage s = new FloatStorage(new float[] {7, 8});
        s.setFrozen(true);
        long cached = MemoryTracker.cachedBytes();
        assertTrue(s.rearrange(s.array(), new Reversed(s.array(), 2)));
        s.release();
        assertEquals(cached, MemoryTracker.cachedBytes());
        assertThrows(IllegalStateException.class, s::array);
        assertThrows(IllegalStateException.class, s::length);
    }
}
