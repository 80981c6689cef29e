package org.sparsetuning.bench.fair;

import java.io.IOException;

/** One timed repetition of a case on one side (the engine, or a peer process): seconds per call. */
@FunctionalInterface
public interface Sampler {
    double sample() throws IOException;
}
