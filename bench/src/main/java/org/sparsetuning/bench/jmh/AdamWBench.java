package org.sparsetuning.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.ComposedAdamW;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/**
 * One AdamW update of a ViT-B MLP weight (768 × 3072, 2.4 M values; full fine-tuning updates 36 such tensors'
 * worth every step): the backend's fused single pass against the composed definition, one pass per operation.
 * Both are memory-bound: the fused pass moves 7 floats per weight (read p, g, m, v; write p, m, v).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class AdamWBench {
    @Param({"2359296"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private Tensor p;
    private Tensor g;
    private Tensor m;
    private Tensor v;
    private final AdamWStep step = new AdamWStep(1e-3, 0.9, 0.999, 1e-8, 0.05, 10);

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.cpu();
        Generator gen = new Generator(5);
        p = Tensor.randn(gen, size);
        g = Tensor.randn(gen, size);
        m = Tensor.zeros(size);
        v = Tensor.zeros(size);
    }

    @Benchmark
    public Tensor fused() {
        backend.adamw(p, g, m, v, step);
        return p;
    }

    @Benchmark
    public Tensor composed() {
        ComposedAdamW.update(p, g, m, v, step);
        return p;
    }
}
