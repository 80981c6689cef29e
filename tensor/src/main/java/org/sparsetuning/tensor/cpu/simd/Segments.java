package org.sparsetuning.tensor.cpu.simd;

import org.sparsetuning.tensor.parallel.Parallel;

/**
 * Splits a {@link Layout}'s iteration space into (row, start, length) segments across the thread pool.
 * One long row (the common, fully contiguous case) is cut into aligned chunks; many rows are handed out
 * whole, several per task, so each task moves enough data to pay for the fork.
 */
final class Segments {
    /** Elements a task should touch at least; below this an op runs on the calling thread. */
    static final int GRAIN = 1 << 14;

    private Segments() {
    }

    @FunctionalInterface
    interface Task {
        void run(int row, int start, int length);
    }

    static void forEach(Layout l, int grain, Task task) {
        int inner = l.inner();
        int rows = l.rows();
        if (inner == 0 || rows == 0) {
            return; // an empty tensor: row offsets may point past the end of an empty array
        }
        if (rows == 1) {
            int chunk = Math.max(grain, 256) & ~63;
            int chunks = (inner + chunk - 1) / chunk;
            Parallel.forRange(chunks, 1, (lo, hi) -> {
                for (int c = lo; c < hi; c++) {
                    int start = c * chunk;
                    task.run(0, start, Math.min(chunk, inner - start));
                }
            });
        } else {
            Parallel.forRange(rows, Math.max(1, grain / Math.max(inner, 1)), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    task.run(r, 0, inner);
                }
            });
        }
    }
}
