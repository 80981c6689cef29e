package org.sparsetuning.bench.fair;

import java.io.IOException;

/**
 * Short operations are timed in blocks of back-to-back calls, so one repetition lasts long enough for the
 * clock and for the turn-taking of {@link Alternation} (a GELU on [197, 768] takes tens of microseconds).
 */
public final class Blocks {
    private Blocks() {
    }

    /** Calls per block so that a block of calls taking {@code callSeconds} each lasts about {@code blockSeconds}. */
    public static int reps(double callSeconds, double blockSeconds) {
        if (!(callSeconds > 0)) {
            return 1;
        }
        return (int) Math.max(1, Math.min(100_000, Math.ceil(blockSeconds / callSeconds)));
    }

    /** A sampler of one block of the operation, timed in this JVM. */
    public static Sampler engine(Runnable op, int reps) {
        return Sampler.block(reps, () -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                op.run();
            }
            return (System.nanoTime() - t0) / 1e9 / reps;
        });
    }

    /** A sampler of one block on a peer process, whose case is set up. */
    public static Sampler peer(PeerProcess p, int reps) {
        return Sampler.block(reps, () -> p.time(reps));
    }

    /**
     * Block size for a sampler from its fastest single call, timed in rounds of at least three calls and one
     * block's time each until a round is no more than 5% faster than the ones before it (at most 20 rounds). The
     * fastest of three single calls, as before, came from a JIT-compiled engine's first, interpreted calls: a GELU
     * on [197, 768] took about 2 ms in its first hundred calls and about 30 µs once compiled, so its blocks held 25
     * calls, each began on threads that had idled through the turn-taking, and the table showed 7 GB/s where the
     * kernel runs at 33-39.
     */
    public static int calibrate(Sampler single, double blockSeconds) throws IOException {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            double roundBest = Double.MAX_VALUE;
            double spent = 0;
            for (int i = 0; i < 3 || spent < blockSeconds && i < 100_000; i++) {
                double t = single.sample();
                roundBest = Math.min(roundBest, t);
                spent += t;
            }
            boolean faster = roundBest < 0.95 * best;
            best = Math.min(best, roundBest);
            if (!faster) {
                break;
            }
        }
        return reps(best, blockSeconds);
    }
}
