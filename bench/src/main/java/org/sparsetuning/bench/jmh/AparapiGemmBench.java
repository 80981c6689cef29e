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
import org.sparsetuning.opencl.aparapi.AparapiDevice;
import org.sparsetuning.opencl.aparapi.CheckedExecutor;
import org.sparsetuning.opencl.aparapi.GemmOp;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.random.Generator;

/**
 * Square SGEMM (size³) through the Aparapi GemmTile16 kernels against the SIMD CPU backend.
 * {@code aparapiTransfers}: copy a and b into the kernel arrays, upload both, run, read c back and copy it
 * out (what one call from host tensors costs). {@code aparapiResident}: run on operands already on the
 * device, no transfer (Aparapi waits for the kernel to finish, so this is the kernel's time).
 * {@code simd}: the CPU backend on the same operands, output preallocated. "transposed" stores b as [N, K]
 * (torch Linear weights) and uses the transposed-B kernel / b.mT() on the CPU. The "gflops" secondary
 * result is 2·size³ per second / 1e9.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar AparapiGemmBench</pre>
 * The device is {@link AparapiDevice#open()}'s choice (-Dsparsetuning.aparapi.device, passed with -jvmArgsAppend).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class AparapiGemmBench {
    @Param({"256", "512"})
    public int size;

    @Param({"normal", "transposed"})
    public String layout;

    /** The Aparapi kernel: tile16 (one output per item) or tile64 (4 × 4 outputs per item). */
    @Param({"tile16", "tile64"})
    public String tiling;

    private CheckedExecutor executor;
    private GemmOp gemm;
    private float[] a;
    private float[] b;
    private float[] c;
    private Backend cpu;
    private Tensor ta;
    private Tensor tb;
    private Tensor tc;
    private double gflopPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        boolean transposed;
        switch (layout) {
            case "normal": transposed = false; break;
            case "transposed": transposed = true; break;
            default: throw new IllegalArgumentException("layout must be normal or transposed, got " + layout);
        }
        Generator g = new Generator(42);
        a = g.normal(size * size);
        b = g.normal(size * size);
        c = new float[size * size];
        executor = new CheckedExecutor(AparapiDevice.open());
        gemm = new GemmOp(executor, transposed, GemmOp.Tiling.valueOf(tiling.toUpperCase(java.util.Locale.ROOT)));
        // Leaves the operands resident for aparapiResident and compiles the kernel before warm-up starts.
        gemm.uploadA(a, 0, size, size);
        gemm.uploadB(b, 0, size, size, null);
        gemm.run();

        cpu = Backends.cpu();
        ta = Tensor.of(a.clone(), size, size);
        tb = transposed ? Tensor.of(b.clone(), size, size).mT() : Tensor.of(b.clone(), size, size);
        tc = Tensor.zeros(size, size);
        gflopPerCall = 2.0 * size * size * size / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
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
    public float[] aparapiTransfers(Flops flops) {
        gemm.uploadA(a, 0, size, size);
        gemm.uploadB(b, 0, size, size, null);
        gemm.run();
        gemm.download(c, 0);
        flops.gflops += gflopPerCall;
        return c;
    }

    @Benchmark
    public GemmOp aparapiResident(Flops flops) {
        gemm.run();
        flops.gflops += gflopPerCall;
        return gemm;
    }

    @Benchmark
    public Tensor simd(Flops flops) {
        cpu.matmul(ta, tb, null, Activation.NONE, tc);
        flops.gflops += gflopPerCall;
        return tc;
    }
}
