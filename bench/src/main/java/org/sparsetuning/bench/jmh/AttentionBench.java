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
import org.sparsetuning.tensor.backend.ComposedAttention;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/**
 * ViT-B self-attention (12 heads of 64, N tokens, packed qkv [B, N, 2304]), forward and backward: the CPU
 * backend's fused kernel ({@code fused*}) against the same attention composed of its separate operations
 * ({@code composed*}: strided head views, batched products, a softmax over a [B, 12, N, N] tensor, a
 * transposing merge of the heads). Outputs preallocated; temporaries of the composed form are allocated as
 * they are in a model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AttentionBench {
    @Param({"1", "8"})
    public int batch;

    /** 197 tokens: every layer at ρ = 1; 138: the layers after the first sparsification at ρ = 0.7. */
    @Param({"197", "138"})
    public int tokens;

    @Param({"2"})
    public int threads;

    private static final int HEADS = 12;
    private static final double SCALE = 1 / Math.sqrt(64);
    private Backend backend;
    private Tensor qkv;
    private Tensor dOut;
    private Tensor out;
    private Tensor dQkv;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        backend = Backends.cpu();
        Generator g = new Generator(1);
        qkv = Tensor.randn(g, batch, tokens, 3 * 768);
        dOut = Tensor.randn(g, batch, tokens, 768);
        out = Ops.empty(DType.F32, new int[] {batch, tokens, 768}, backend);
        dQkv = Ops.empty(DType.F32, qkv.shape(), backend);
    }

    @Benchmark
    public Tensor fusedForward() {
        backend.selfAttention(qkv, HEADS, SCALE, out);
        return out;
    }

    @Benchmark
    public Tensor composedForward() {
        ComposedAttention.forward(qkv, HEADS, SCALE, out);
        return out;
    }

    @Benchmark
    public Tensor fusedBackward() {
        backend.selfAttentionBackward(qkv, dOut, HEADS, SCALE, dQkv);
        return dQkv;
    }

    @Benchmark
    public Tensor composedBackward() {
        ComposedAttention.backward(qkv, dOut, HEADS, SCALE, dQkv);
        return dQkv;
    }
}
