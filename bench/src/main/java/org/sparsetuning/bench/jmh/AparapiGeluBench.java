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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sparsetuning.opencl.aparapi.AparapiDevice;
import org.sparsetuning.opencl.aparapi.CheckedExecutor;
import org.sparsetuning.opencl.aparapi.GeluOp;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.random.Generator;

/**
 * Exact GELU forward and backward over ViT-B's MLP activations [197·batch, 3072] through the Aparapi
 * kernel against the SIMD CPU backend; {@code ...Transfers} include the copies and the upload/readback,
 * {@code ...Resident} run on data already on the device.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar AparapiGeluBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class AparapiGeluBench {
    @Param({"1"})
    public int batch;

    private int n;
    private CheckedExecutor executor;
    private GeluOp gelu;
    private float[] x;
    private float[] dy;
    private float[] out;
    private Backend cpu;
    private Tensor tx;
    private Tensor tdy;
    private Tensor tout;

    @Setup(Level.Trial)
    public void setUp() {
        n = 197 * batch * 3072;
        Generator g = new Generator(3);
        x = g.normal(n);
        dy = g.normal(n);
        out = new float[n];
        executor = new CheckedExecutor(AparapiDevice.open());
        gelu = new GeluOp(executor);
        gelu.upload(x, 0, dy, 0, n);
        gelu.runForward();

        cpu = Backends.cpu();
        tx = Tensor.of(x.clone(), 197 * batch, 3072);
        tdy = Tensor.of(dy.clone(), 197 * batch, 3072);
        tout = Tensor.zeros(197 * batch, 3072);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public float[] forwardAparapiTransfers() {
        gelu.upload(x, 0, n);
        gelu.runForward();
        gelu.download(out, 0);
        return out;
    }

    @Benchmark
    public GeluOp forwardAparapiResident() {
        gelu.runForward();
        return gelu;
    }

    @Benchmark
    public Tensor forwardSimd() {
        cpu.unary(UnaryOp.GELU, tx, tout);
        return tout;
    }

    @Benchmark
    public float[] backwardAparapiTransfers() {
        gelu.upload(x, 0, dy, 0, n);
        gelu.runBackward();
        gelu.download(out, 0);
        return out;
    }

    @Benchmark
    public GeluOp backwardAparapiResident() {
        gelu.runBackward();
        return gelu;
    }

    @Benchmark
    public Tensor backwardSimd() {
        cpu.binary(BinaryOp.GELU_BACKWARD, tx, tdy, tout);
        return tout;
    }
}
