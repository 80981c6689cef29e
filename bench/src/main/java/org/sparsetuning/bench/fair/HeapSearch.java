package org.sparsetuning.bench.fair;

import java.io.IOException;

/**
 * The smallest Java heap (-Xmx, MiB) with which a case completes, found by bisection: what a user must
 * provision, as opposed to the tensor bytes the engine counts. Completion is monotone in the heap (more heap
 * never makes a case fail), so bisection between a failing and a completing size finds the boundary to within
 * {@code resolutionMiB} in log2((high - low) / resolution) trials.
 */
public final class HeapSearch {
    /** One trial: run the case in a child JVM with this -Xmx and say whether it completed. */
    @FunctionalInterface
    public interface Trial {
        boolean completes(int heapMiB) throws IOException, InterruptedException;
    }

    /** The smallest completing heap found, and the trials it took. */
    public record Result(int heapMiB, int trials) {
    }

    private final int lowMiB;
    private final int highMiB;
    private final int resolutionMiB;

    public HeapSearch(int lowMiB, int highMiB, int resolutionMiB) {
        if (lowMiB < 1 || highMiB <= lowMiB || resolutionMiB < 1) {
            throw new IllegalArgumentException("heap search: 1 <= low < high and resolution >= 1 (MiB)");
        }
        this.lowMiB = lowMiB;
        this.highMiB = highMiB;
        this.resolutionMiB = resolutionMiB;
    }

    /**
     * Bisects: {@code high} must complete (else the case needs more than the search allows, an error);
     * {@code low} is assumed to fail unless it is tried and completes.
     */
    public Result find(Trial trial) throws IOException, InterruptedException {
        int trials = 1;
        if (!trial.completes(highMiB)) {
            throw new IOException("the case does not complete even with -Xmx" + highMiB + "m (raise --max-heap)");
        }
        int fail = lowMiB;
        int ok = highMiB;
        trials++;
        if (trial.completes(lowMiB)) {
            return new Result(lowMiB, trials);
        }
        while (ok - fail > resolutionMiB) {
            int mid = fail + (ok - fail) / 2;
            trials++;
            if (trial.completes(mid)) {
                ok = mid;
            } else {
                fail = mid;
            }
        }
        return new Result(ok, trials);
    }
}
