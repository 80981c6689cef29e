package org.sparsetuning.bench.fair;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Times several sides of one case (the engine and its peers) fairly: each side is warmed up until its times
 * settle ({@link SettleRule}), then the sides take turns, one repetition each, so that a change in the
 * machine's load during the measurement (other jobs on the shared cores, the clock) falls on all of them
 * alike instead of on whichever ran last. Measurement stops once every side has {@code minRuns} repetitions
 * and the repetitions together took {@code minSeconds}, or at {@code maxRuns}.
 *
 * <p>Elapsed time is the sum of the sampled times (seconds per call × calls per repetition: the budgets are
 * wall time, not the sum of per-call times, which for 5 ms calls in 0.25 s blocks ran 50 times too long), so
 * this class reads no clock and is tested with scripted samplers.
 */
public final class Alternation {
    /**
     * A side's measurement: repetition statistics, the repetitions' times in turn order (the i-th of every side
     * of one alternation fell in the same round), warm-up calls, and whether warm-up settled.
     */
    public record Result(Stats stats, List<Double> times, int warmupCalls, boolean settled) {
        public Result {
            times = List.copyOf(times);
        }
    }

    private final SettleRule settle;
    private final int minRuns;
    private final int maxRuns;
    private final double minSeconds;
    private final Quiet quiet;
    private final Consumer<Boolean> measuring;

    public Alternation(SettleRule settle, int minRuns, int maxRuns, double minSeconds) {
        this(settle, minRuns, maxRuns, minSeconds, Quiet.none());
    }

    /** @param quiet waited on before every call, warm-up included, so no side runs in another's tail */
    public Alternation(SettleRule settle, int minRuns, int maxRuns, double minSeconds, Quiet quiet) {
        this(settle, minRuns, maxRuns, minSeconds, quiet, on -> { });
    }

    private Alternation(SettleRule settle, int minRuns, int maxRuns, double minSeconds, Quiet quiet,
                        Consumer<Boolean> measuring) {
        if (minRuns < 1 || maxRuns < minRuns || minSeconds < 0) {
            throw new IllegalArgumentException("alternation: 1 <= minRuns <= maxRuns and minSeconds >= 0");
        }
        this.settle = settle;
        this.minRuns = minRuns;
        this.maxRuns = maxRuns;
        this.minSeconds = minSeconds;
        this.quiet = quiet;
        this.measuring = measuring;
    }

    /**
     * The same alternation, telling {@code hook} when the measured repetitions start (true) and when warm-up
     * starts or the measurement ends (false): a profiler can then leave the warm-up out.
     */
    public Alternation measuring(Consumer<Boolean> hook) {
        return new Alternation(settle, minRuns, maxRuns, minSeconds, quiet, hook);
    }

    /** Sides in the order they take turns; results under the same names. */
    public Map<String, Result> run(Map<String, Sampler> sides) throws IOException {
        measuring.accept(false);
        try {
            return measure(sides);
        } finally {
            measuring.accept(false);
        }
    }

    private Map<String, Result> measure(Map<String, Sampler> sides) throws IOException {
        Map<String, Integer> warm = new LinkedHashMap<>();
        Map<String, Boolean> settled = new LinkedHashMap<>();
        for (Map.Entry<String, Sampler> s : sides.entrySet()) {
            List<Double> times = new ArrayList<>();
            double spent = 0;
            boolean ok = false;
            while (!(ok = settle.settled(times)) && !settle.exhausted(times.size(), spent)) {
                quiet.await();
                double t = s.getValue().sample();
                times.add(t);
                spent += t * s.getValue().calls();
            }
            warm.put(s.getKey(), times.size());
            settled.put(s.getKey(), ok);
        }
        measuring.accept(true);
        Map<String, List<Double>> reps = new LinkedHashMap<>();
        sides.keySet().forEach(k -> reps.put(k, new ArrayList<>()));
        double spent = 0;
        int round = 0;
        while (round < maxRuns && (round < minRuns || spent < minSeconds)) {
            for (Map.Entry<String, Sampler> s : sides.entrySet()) {
                quiet.await();
                double t = s.getValue().sample();
                reps.get(s.getKey()).add(t);
                spent += t * s.getValue().calls();
            }
            round++;
        }
        Map<String, Result> out = new LinkedHashMap<>();
        for (String k : sides.keySet()) {
            out.put(k, new Result(Stats.of(reps.get(k)), reps.get(k), warm.get(k), settled.get(k)));
        }
        return out;
    }
}
