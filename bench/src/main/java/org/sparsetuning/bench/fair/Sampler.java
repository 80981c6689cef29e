package org.sparsetuning.bench.fair;

import java.io.IOException;

/** One timed repetition of a case on one side (the engine, or a peer process): seconds per call. */
@FunctionalInterface
public interface Sampler {
    double sample() throws IOException;

    /**
     * Calls in one repetition (a block of short calls: {@link Blocks}), so that a repetition's wall time is
     * {@code sample() * calls()}; budgets in seconds (warm-up, the measurement's minimum) count wall time.
     */
    default int calls() {
        return 1;
    }

    /** A sampler whose repetitions are blocks of {@code calls} calls, {@code perCall} timing one block per call. */
    static Sampler block(int calls, Sampler perCall) {
        return new Sampler() {
            @Override
            public double sample() throws IOException {
                return perCall.sample();
            }

            @Override
            public int calls() {
                return calls;
            }
        };
    }
}
