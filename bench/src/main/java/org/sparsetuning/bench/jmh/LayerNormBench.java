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
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/**
 * Layer norm (with weight and bias) over [197·B, C] token rows, C = 768 (ViT-B width) or 3072 (MLP width),
 * forward and backward (dx, dweight, dbias). Outputs are preallocated: this measures the kernels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerNormBench {
    @Param({"1", "8"})
    public int batch;

    @Param({"768", "3072"})
    public int channels;

    @Param({"1", "2"})
    public int threads;

    private Backend backend;
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor out;
    private Tensor mean;
    private Tensor rstd;
    private Tensor dy;
    private Tensor dx;
    private Tensor dw;
    private Tensor db;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.cpu();
        Generator g = new Generator(2);
        int rows = 197 * batch;
        x = Tensor.randn(g, rows, channels);
        w = Tensor.randn(g, channels);
        b = Tensor.randn(g, channels);
        dy = Tensor.randn(g, rows, channels);
        out = Ops.empty(DType.F32, x.shape(), backend);
        dx = Ops.empty(DType.F32, x.shape(), backend);
        mean = Ops.empty(DType.F32, new int[] {rows}, backend);
        rstd = Ops.empty(DType.F32, new int[] {rows}, backend);
        dw = Ops.empty(DType.F32, new int[] {channels}, backend);
        db = Ops.empty(DType.F32, new int[] {channels}, backend);
        backend.layerNorm(x, w, b, 1e-6, out, mean, rstd);
    }

    @Benchmark
    public Tensor forward() {
        backend.layerNorm(x, w, b, 1e-6, out, mean, rstd);
        return out;
    }

    @Benchmark
    public Tensor backward() {
        backend.layerNormBackward(dy, x, w, mean, rstd, dx, dw, db);
        return dx;
    }
}
