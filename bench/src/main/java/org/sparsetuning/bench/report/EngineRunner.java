package org.sparsetuning.bench.report;

import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;

/** Sets a case up on the engine's CPU backend: one call of the same operation the peers call. */
final class EngineRunner {
    private EngineRunner() {
    }

    static Runnable prepare(BenchCase c) {
        Parallel.setThreads(c.threads());
        Backend be = Backends.cpu();
        Generator g = new Generator(0);
        int[] s = c.shape();
        switch (c.op()) {
            case "gemm": {
                Tensor a = Tensor.randn(g, s[0], s[1]);
                Tensor[] ws = new Tensor[c.weight().equals("changing") ? 2 : 1];
                for (int i = 0; i < ws.length; i++) {
                    ws[i] = c.layout().equals("transposed") ? Tensor.randn(g, s[2], s[1]).mT() : Tensor.randn(g, s[1], s[2]);
                    ws[i].storage().setFrozen(c.weight().equals("frozen"));
                }
                Tensor out = Ops.empty(DType.F32, new int[] {s[0], s[2]}, be);
                int[] turn = {0};
                return () -> {
                    turn[0] ^= 1;
                    be.matmul(a, ws[turn[0] % ws.length], null, Activation.NONE, out);
                };
            }
            case "softmax": {
                Tensor x = Tensor.randn(g, s);
                return () -> Ops.softmax(x, false).close();
            }
            case "layernorm": {
                Tensor x = Tensor.randn(g, s);
                int ch = s[s.length - 1];
                Tensor w = Tensor.randn(g, ch);
                Tensor b = Tensor.randn(g, ch);
                int rows = (int) (c.elements() / ch);
                return () -> {
                    Tensor out = Ops.empty(DType.F32, s, be);
                    Tensor mean = Ops.empty(DType.F32, new int[] {rows}, be);
                    Tensor rstd = Ops.empty(DType.F32, new int[] {rows}, be);
                    be.layerNorm(x, w, b, 1e-6, out, mean, rstd);
                    out.close();
                    mean.close();
                    rstd.close();
                };
            }
            case "gelu": {
                Tensor x = Tensor.randn(g, s);
                return () -> Ops.unary(UnaryOp.GELU, x).close();
            }
            case "add": {
                Tensor x = Tensor.randn(g, s);
                Tensor y = Tensor.randn(g, s);
                return () -> Ops.binary(BinaryOp.ADD, x, y).close();
            }
            default:
                throw new IllegalArgumentException("unknown op " + c.op());
        }
    }
}
