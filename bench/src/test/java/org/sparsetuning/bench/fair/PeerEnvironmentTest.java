package org.sparsetuning.bench.fair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerEnvironmentTest {
    /** The environment that handicapped the peer in the issue, plus other knobs that would. */
    private static final Map<String, String> HANDICAPPED = Map.of(
            "PATH", "/usr/bin", "HOME", "/root",
            "OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "524288",
            "MALLOC_MMAP_THRESHOLD_", "131072", "MALLOC_ARENA_MAX", "2",
            "LD_PRELOAD", "/usr/lib/libjemalloc.so", "OMP_WAIT_POLICY", "ACTIVE", "OMP_NUM_THREADS", "16");

    @Test
    void thePeerNeverInheritsTheHandicap() {
        PeerEnvironment.Built b = PeerEnvironment.build(HANDICAPPED, 2, null);
        for (String k : new String[] {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MALLOC_MMAP_THRESHOLD_", "MALLOC_ARENA_MAX", "LD_PRELOAD"}) {
            assertFalse(b.env().containsKey(k), k + " reached the peer");
            assertEquals(HANDICAPPED.get(k), b.removed().get(k), k + " not reported as dropped");
        }
        assertEquals("/usr/bin", b.env().get("PATH"));
        assertEquals("/root", b.env().get("HOME"));
    }

    @Test
    void threadsArePinnedAndIdleWorkersSleep() {
        Map<String, String> env = PeerEnvironment.build(HANDICAPPED, 2, null).env();
        assertEquals("2", env.get("OMP_NUM_THREADS"));
        assertEquals("2", env.get("OPENBLAS_NUM_THREADS"));
        assertEquals("2", env.get("MKL_NUM_THREADS"));
        assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"));
    }

    @Test
    void aCoreTypeIsSetOnlyWhenAskedForExplicitly() {
        assertEquals("SkylakeX", PeerEnvironment.build(HANDICAPPED, 1, "SkylakeX").env().get("OPENBLAS_CORETYPE"));
        assertFalse(PeerEnvironment.build(Map.of(), 1, null).env().containsKey("OPENBLAS_CORETYPE"));
    }

    @Test
    void theCallersEnvironmentIsNotModified() {
        PeerEnvironment.build(HANDICAPPED, 2, null);
        assertEquals("Haswell", HANDICAPPED.get("OPENBLAS_CORETYPE"));
    }

    @Test
    void applyReplacesWhatTheProcessBuilderInherited() {
        ProcessBuilder pb = new ProcessBuilder("true");
        pb.environment().put("OPENBLAS_CORETYPE", "Haswell");
        PeerEnvironment.apply(PeerEnvironment.build(HANDICAPPED, 2, null), pb);
        assertFalse(pb.environment().containsKey("OPENBLAS_CORETYPE"));
        assertEquals("PASSIVE", pb.environment().get("OMP_WAIT_POLICY"));
    }

    @Test
    void theReportLineNamesWhatWasDropped() {
        String line = FairOptions.describe(PeerEnvironment.build(Map.of("OPENBLAS_CORETYPE", "Haswell", "MALLOC_MMAP_THRESHOLD_", "131072"), 2, null));
        assertEquals("peer environment: dropped MALLOC_MMAP_THRESHOLD_=131072 OPENBLAS_CORETYPE=Haswell; OMP_WAIT_POLICY=PASSIVE,"
                + " OMP/OPENBLAS/MKL_NUM_THREADS=2", line);
    }

    @Test
    void aNonPositiveThreadCountIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PeerEnvironment.build(Map.of(), 0, null));
    }
}
