package org.sparsetuning.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MlpMemoryTest {
    @Test
    void keepsUnlessAskedToRecompute() {
        assertTrue(MlpMemory.parse(null));
        assertFalse(MlpMemory.parse("false"));
        assertTrue(MlpMemory.parse("true"));
    }

    @Test
    void refusesAnythingElseNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MlpMemory.parse("yes"));
        assertEquals("-Dsparsetuning.mlp.keepHidden=yes: expected true or false", e.getMessage());
    }
}
