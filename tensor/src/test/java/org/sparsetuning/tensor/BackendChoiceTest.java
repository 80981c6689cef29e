package org.sparsetuning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;

/** How the CPU backend is picked, with the Vector API's availability and the SIMD class given rather than probed. */
class BackendChoiceTest {
    private static final String SOURCE = "-Dsparsetuning.backend";
    /** Stands for the SIMD backend: any backend other than the reference one. */
    private static final Backend SIMD = new ReferenceBackend();

    @Test
    void withoutARequestTheSimdBackendIsUsedWhenItCanBe() {
        assertSame(SIMD, Backends.choose(null, SOURCE, () -> null, () -> SIMD));
    }

    @Test
    void withoutARequestAnUnusableSimdBackendFallsBackToTheReference() {
        assertSame(Backends.reference(), Backends.choose(null, SOURCE, () -> "no C2", () -> SIMD));
        assertSame(Backends.reference(), Backends.choose(" ", SOURCE, () -> null, () -> {
            throw new IllegalStateException("class not found");
        }));
    }

    /** Found in review: an explicit simd request fell back to the scalar backend with only a log line. */
    @Test
    void anExplicitSimdRequestThatCannotBeHonouredIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.choose("simd", SOURCE, () -> "module jdk.incubator.vector is not readable", () -> SIMD));
        assertEquals("-Dsparsetuning.backend=simd asks for the SIMD backend, but it cannot be used: module jdk.incubator.vector "
                + "is not readable (set -Dsparsetuning.backend=reference to run the scalar kernels instead)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Backends.choose("SIMD", SOURCE, () -> null, () -> {
            throw new IllegalStateException("class not found");
        }));
    }

    @Test
    void explicitReferenceAndUnknownNames() {
        assertSame(Backends.reference(), Backends.choose("reference", SOURCE, () -> null, () -> SIMD));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.choose("gpu", SOURCE, () -> null, () -> SIMD));
        assertEquals("-Dsparsetuning.backend must be simd or reference, got 'gpu'", e.getMessage());
    }
}
