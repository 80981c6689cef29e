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
import org.sparsetuning.opencl.aparapi.SoftmaxOp;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.random.Generator;

/**
 * Row softmax, forward and backward, through the Aparapi kernels against the SIMD CPU backend. Shapes:
 * one ViT-B image's attention maps (12 heads × 197 rows of 197) and a batch of 64 × 1000-class logits.
 * {@code ...Transfers} copy and upload the input(s), run, and read the result back; {@code ...Resident}
 * only run on inputs already on the device.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar AparapiSoftmaxBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class AparapiSoftmaxBench {
    /** rows x cols. */
    @Param({"2364x197", "64x1000"})
    public String shape;

    private int rows;
    private int cols;
    private CheckedExecutor executor;
    private SoftmaxOp softmax;
    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private Backend cpu;
    private Tensor tx;
    private Tensor ty;
    private Tensor tdy;
    private Tensor tout;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        Generator g = new Generator(1);
        x = g.normal(rows * cols);
        dy = g.normal(rows * cols);
        y = new float[rows * cols];
        dx = new float[rows * cols];
        executor = new CheckedExecutor(AparapiDevice.open());
        softmax = new SoftmaxOp(executor);
        softmax.uploadForward(x, 0, rows, cols);
        softmax.runForward();
        softmax.downloadForward(y, 0);
        softmax.uploadBackward(y, 0, dy, 0, rows, cols);
        softmax.runBackward();

        cpu = Backends.cpu();
        tx = Tensor.of(x.clone(), rows, cols);
        ty = Tensor.of(y.clone(), rows, cols);
        tdy = Tensor.of(dy.clone(), rows, cols);
        tout = Tensor.zeros(rows, cols);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public float[] forwardAparapiTransfers() {
        softmax.uploadForward(x, 0, rows, cols);
        softmax.runForward();
        softmax.downloadForward(y, 0);
        return y;
    }

    @Benchmark
    public SoftmaxOp forwardAparapiResident() {
        softmax.runForward();
        return softmax;
    }

    @Benchmark
    public Tensor forwardSimd() {
        cpu.softmax(tx, false, tout);
        return tout;
    }

    @Benchmark
    public float[] backwardAparapiTransfers() {
        softmax.uploadBackward(y, 0, dy, 0, rows, cols);
        softmax.runBackward();
        softmax.downloadBackward(dx, 0);
        return dx;
    }

    @Benchmark
    public SoftmaxOp backwardAparapiResident() {
        softmax.runBackward();
        return softmax;
    }

    @Benchmark
    public Tensor backwardSimd() {
        cpu.softmaxBackward(ty, tdy, false, tout);
        return tout;
    }
}
