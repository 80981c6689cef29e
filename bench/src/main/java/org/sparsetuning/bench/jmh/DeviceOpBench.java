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
import org.sparsetuning.opencl.jocl.ClBackend;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.device.Devices;
import org.sparsetuning.tensor.random.Generator;

/**
 * One op on the CPU (the SIMD backend, all pool threads) against the same op on an OpenCL device (JOCL
 * kernels), three ways:
 * <ul>
 *   <li>{@code cpu}: host tensors, the CPU backend;</li>
 *   <li>{@code opencl-resident}: inputs and output already on the device; the time is enqueue to completion
 *       (clFinish), what a model whose weights and activations stay on the device pays;</li>
 *   <li>{@code opencl-transfer}: the inputs are uploaded from host arrays, the op runs, the output is downloaded:
 *       what offloading a single op from a CPU program costs.</li>
 * </ul>
 * Ops on ViT-B shapes: square GEMMs (512, 1024), softmax of a [12, 197, 197] attention map, layer norm of
 * [1576, 768] (batch 8 of 197 tokens), exact GELU of [1576, 3072] (the MLP's hidden activation). Outputs are
 * preallocated on each side, so allocation is not measured. The device is -Dsparsetuning.bench.device
 * (default opencl:0).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar DeviceOpBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class DeviceOpBench {
    @Param({"gemm512", "gemm1024", "softmax", "layernorm", "gelu"})
    public String op;

    @Param({"cpu", "opencl-resident", "opencl-transfer"})
    public String where;

    private Backend be;
    private ClBackend cl;
    /** Host inputs and output (used by cpu and by the transfer mode as source / destination). */
    private Tensor[] hostIn;
    private Tensor hostOut;
    /** The inputs and output the kernel reads and writes (on the CPU or the device). */
    private Tensor[] in;
    private Tensor out;
    private Tensor mean;
    private Tensor rstd;

    @Setup(Level.Trial)
    public void setUp() {
        Generator g = new Generator(9);
        int[][] shapes;
        int[] outShape;
        switch (op) {
            case "gemm512":
                shapes = new int[][] {{512, 512}, {512, 512}};
                outShape = new int[] {512, 512};
                break;
            case "gemm1024":
                shapes = new int[][] {{1024, 1024}, {1024, 1024}};
                outShape = new int[] {1024, 1024};
                break;
            case "softmax":
                shapes = new int[][] {{12, 197, 197}};
                outShape = shapes[0];
                break;
            case "layernorm":
                shapes = new int[][] {{1576, 768}, {768}, {768}};
                outShape = shapes[0];
                break;
            case "gelu":
                shapes = new int[][] {{1576, 3072}};
                outShape = shapes[0];
                break;
            default:
                throw new IllegalArgumentException("op must be gemm512, gemm1024, softmax, layernorm or gelu, got " + op);
        }
        hostIn = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            hostIn[i] = Tensor.randn(g, shapes[i]);
        }
        hostOut = Tensor.zeros(outShape);
        int rows = outShape[0];
        if (where.equals("cpu")) {
            be = Devices.cpu().backend();
            in = hostIn;
            out = hostOut;
            mean = Tensor.zeros(rows);
            rstd = Tensor.zeros(rows);
            return;
        }
        if (!where.equals("opencl-resident") && !where.equals("opencl-transfer")) {
            throw new IllegalArgumentException("where must be cpu, opencl-resident or opencl-transfer, got " + where);
        }
        Device dev = Devices.select(System.getProperty("sparsetuning.bench.device", "opencl:0"));
        be = dev.backend();
        cl = (ClBackend) be;
        in = new Tensor[hostIn.length];
        for (int i = 0; i < hostIn.length; i++) {
            in[i] = hostIn[i].to(dev);
        }
        out = Tensor.zeros(dev, DType.F32, outShape);
        mean = Tensor.zeros(dev, DType.F32, rows);
        rstd = Tensor.zeros(dev, DType.F32, rows);
    }

    private void kernel() {
        switch (op) {
            case "gemm512":
            case "gemm1024":
                be.matmul(in[0], in[1], null, Activation.NONE, out);
                break;
            case "softmax":
                be.softmax(in[0], false, out);
                break;
            case "layernorm":
                be.layerNorm(in[0], in[1], in[2], 1e-6, out, mean, rstd);
                break;
            default:
                be.unary(UnaryOp.GELU, in[0], out);
        }
    }

    @Benchmark
    public Tensor run() {
        if (where.equals("opencl-transfer")) {
            for (int i = 0; i < in.length; i++) {
                Ops.copyInto(hostIn[i], in[i]);
            }
            kernel();
            Ops.copyInto(out, hostOut); // a blocking download: the kernel has finished when it returns
            return hostOut;
        }
        kernel();
        if (cl != null) {
            cl.context().finish();
        }
        return out;
    }

    /** Products per call, for GFLOP/s in the report: 2·n³ for the GEMMs, 0 otherwise. */
    static double flops(String op) {
        return op.equals("gemm512") ? 2.0 * 512 * 512 * 512 : op.equals("gemm1024") ? 2.0 * 1024 * 1024 * 1024 : 0;
    }
}
