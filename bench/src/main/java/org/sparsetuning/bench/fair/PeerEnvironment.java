package org.sparsetuning.bench.fair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a Python peer (OpenBLAS through numpy, PyTorch CPU), built so that the peer runs at its
 * best by construction whatever the caller's environment holds:
 * <ul>
 * <li>no OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE: OpenBLAS picks its kernels for this CPU itself (an inherited
 *     OPENBLAS_CORETYPE=Haswell ran AVX2 kernels at half speed on an AVX-512 machine); a core type is set only
 *     when the user asks for one, and the peer prints the kernel that ran;</li>
 * <li>no glibc malloc tuning (MALLOC_*_ variables, GLIBC_TUNABLES) and no LD_PRELOAD: the default allocator
 *     (MALLOC_MMAP_THRESHOLD_=131072 made every buffer a fresh mmap, page faults on every call);</li>
 * <li>OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to the thread count, and
 *     OMP_WAIT_POLICY=PASSIVE so idle OpenMP workers sleep instead of spinning against the engine's turn.</li>
 * </ul>
 */
public final class PeerEnvironment {
    /** The environment to start the peer with, and the inherited variables that were dropped (for the report). */
    public record Built(Map<String, String> env, Map<String, String> removed) {
    }

    private static final List<String> BLAS_TUNING = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "GOTO_NUM_THREADS",
            "OPENBLAS_MAIN_FREE", "OPENBLAS_VERBOSE", "MKL_DEBUG_CPU_TYPE", "MKL_ENABLE_INSTRUCTIONS", "LD_PRELOAD", "GLIBC_TUNABLES");

    private PeerEnvironment() {
    }

    /**
     * @param parent    the caller's environment
     * @param threads   the thread count both sides use
     * @param blasCore  an OPENBLAS_CORETYPE the user chose explicitly, or null for OpenBLAS's own choice
     */
    public static Built build(Map<String, String> parent, int threads, String blasCore) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected a positive count, got " + threads);
        }
        Map<String, String> env = new LinkedHashMap<>(parent);
        Map<String, String> removed = new TreeMap<>();
        for (String k : new ArrayList<>(env.keySet())) {
            if (BLAS_TUNING.contains(k) || isMallocTuning(k)) {
                removed.put(k, env.remove(k));
            }
        }
        String t = Integer.toString(threads);
        env.put("OMP_NUM_THREADS", t);
        env.put("OPENBLAS_NUM_THREADS", t);
        env.put("MKL_NUM_THREADS", t);
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        if (blasCore != null) {
            env.put("OPENBLAS_CORETYPE", blasCore);
        }
        return new Built(env, removed);
    }

    /** glibc's malloc environment knobs: MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, ... */
    static boolean isMallocTuning(String name) {
        return name.startsWith("MALLOC_");
    }

    /** Applies a built environment to a process builder (replacing what it inherited). */
    public static void apply(Built built, ProcessBuilder pb) {
        pb.environment().clear();
        pb.environment().putAll(built.env());
    }
}
