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
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/** Exact (erf) GELU and its fused backward over [197·B, C], outputs preallocated. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GeluBench {
    @Param({"1", "8"})
    public int batch;

    @Param({"768", "3072"})
    public int channels;

    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private Tensor x;
    private Tensor dy;
    private Tensor out;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.cpu();
        Generator g = new Generator(3);
        x = Tensor.randn(g, 197 * batch, channels);
        dy = Tensor.randn(g, 197 * batch, channels);
        out = Ops.empty(DType.F32, x.shape(), backend);
    }

    @Benchmark
    public Tensor forward() {
        backend.unary(UnaryOp.GELU, x, out);
        return out;
    }

    @Benchmark
    public Tensor backward() {
        backend.binary(BinaryOp.GELU_BACKWARD, x, dy, out);
        return out;
    }
}
