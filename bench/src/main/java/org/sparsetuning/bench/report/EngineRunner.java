package org.sparsetuning.bench.report;

import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/** Times one case on the engine's CPU backend, calling the same operation the peers call. */
final class EngineRunner {
    private final double warmup;
    private final double minSeconds;

    EngineRunner(double warmup, double minSeconds) {
        this.warmup = warmup;
        this.minSeconds = minSeconds;
    }

    double seconds(BenchCase c) {
        Parallel.setThreads(c.threads());
        Backend be = Backends.cpu();
        Generator g = new Generator(0);
        int[] s = c.shape();
        switch (c.op()) {
            case "gemm": {
                Tensor a = Tensor.randn(g, s[0], s[1]);
                Tensor b = c.layout().equals("transposed") ? Tensor.randn(g, s[2], s[1]).mT() : Tensor.randn(g, s[1], s[2]);
                b.storage().setFrozen(c.frozen());
                Tensor out = Ops.empty(DType.F32, new int[] {s[0], s[2]}, be);
                return Timer.median(() -> be.matmul(a, b, null, Activation.NONE, out), warmup, minSeconds, 5);
            }
            case "softmax": {
                Tensor x = Tensor.randn(g, s);
                return Timer.median(() -> Ops.softmax(x, false).close(), warmup, minSeconds, 5);
            }
            case "layernorm": {
                Tensor x = Tensor.randn(g, s);
                int ch = s[s.length - 1];
                Tensor w = Tensor.randn(g, ch);
                Tensor b = Tensor.randn(g, ch);
                int rows = (int) (c.elements() / ch);
                return Timer.median(() -> {
                    Tensor out = Ops.empty(DType.F32, s, be);
                    Tensor mean = Ops.empty(DType.F32, new int[] {rows}, be);
                    Tensor rstd = Ops.empty(DType.F32, new int[] {rows}, be);
                    be.layerNorm(x, w, b, 1e-6, out, mean, rstd);
                    out.close();
                    mean.close();
                    rstd.close();
                }, warmup, minSeconds, 5);
            }
            case "gelu": {
                Tensor x = Tensor.randn(g, s);
                return Timer.median(() -> Ops.unary(UnaryOp.GELU, x).close(), warmup, minSeconds, 5);
            }
            default:
                throw new IllegalArgumentException("unknown op " + c.op());
        }
    }
}
