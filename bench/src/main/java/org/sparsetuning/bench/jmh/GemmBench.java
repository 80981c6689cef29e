package org.sparsetuning.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.cpu.simd.gemm.Gemm;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/**
 * The SIMD GEMM on ViT-B's linear layers: M = 197 tokens x batch, K x N of the qkv, proj, fc1 and fc2
 * weights, the weight stored [K, N] ("normal") or [N, K] and used as w.mT() ("transposed", torch's Linear
 * layout), frozen (panels packed once and cached) or not (packed on every call). The "gflops" secondary
 * result is 2*M*N*K per second / 1e9. Peer: tools/bench/gemm_numpy.py (numpy float32 on OpenBLAS), run right
 * after with the same thread count; set OPENBLAS_CORETYPE=SkylakeX so OpenBLAS uses its AVX-512 kernels (this
 * machine's environment pins the AVX2 "Haswell" ones, half the peak).
 *
 * <pre>java -jar bench/target/benchmarks.jar GemmBench -p threads=2 -p batch=8
 * OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=2 python3 tools/bench/gemm_numpy.py --batches 8</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBench {
    @Param({"1", "8"})
    public int batch;

    /** K x N. */
    @Param({"768x2304", "768x768", "768x3072", "3072x768"})
    public String shape;

    @Param({"normal", "transposed"})
    public String layout;

    @Param({"false", "true"})
    public boolean frozen;

    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor w;
    private Tensor out;
    private double gflopPerCall;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        String[] kn = shape.split("x");
        int k = Integer.parseInt(kn[0]);
        int n = Integer.parseInt(kn[1]);
        int m = 197 * batch;
        Generator g = new Generator(42);
        a = Tensor.of(g.normal(m * k), m, k);
        switch (layout) {
            case "normal":
                w = Tensor.of(g.normal(k * n), k, n);
                break;
            case "transposed":
                w = Tensor.of(g.normal(k * n), n, k).mT();
                break;
            default:
                throw new IllegalArgumentException("layout must be normal or transposed, got " + layout);
        }
        w.storage().setFrozen(frozen);
        out = Tensor.zeros(m, n);
        gflopPerCall = 2.0 * m * n * k / 1e9;
    }

    @TearDown
    public void tearDown() {
        w.storage().setFrozen(false);
    }

    /** GFLOP/s as a JMH secondary result: an OPERATIONS counter is reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Benchmark
    public Tensor matmul(Flops flops) {
        Gemm.matmul(a, w, null, Activation.NONE, out);
        flops.gflops += gflopPerCall;
        return out;
    }
}
