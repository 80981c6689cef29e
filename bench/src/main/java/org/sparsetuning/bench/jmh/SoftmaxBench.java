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
import org.openjdk.jmh.infra.Blackhole;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/**
 * Softmax over the rows of ViT-B attention maps: [B, 12 heads, 197, 197]. {@code kernel} writes into a
 * preallocated output (the kernel alone); {@code op} goes through Ops and allocates, as a model does.
 * One call reads and writes B·12·197·197·4 bytes each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxBench {
    @Param({"1", "8"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private Tensor x;
    private Tensor out;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.cpu();
        x = Tensor.randn(new Generator(1), batch, 12, 197, 197);
        out = Ops.empty(DType.F32, x.shape(), backend);
    }

    @Benchmark
    public Tensor kernel() {
        backend.softmax(x, false, out);
        return out;
    }

    @Benchmark
    public void op(Blackhole bh) {
        Tensor y = Ops.softmax(x, false);
        bh.consume(y);
        y.close();
    }
}
