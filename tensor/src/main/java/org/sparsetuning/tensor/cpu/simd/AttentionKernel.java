package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.cpu.simd.gemm.Gemm;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.storage.CachedFloats;

/**
 * Multi-head self-attention fused per (batch, head): one task computes a head's N x N scores, their softmax and
 * its products in buffers of its own thread, reading q, k and v in place from the packed [B, N, 3·H·d]
 * projection and writing straight into the head's columns of the output. Composed of separate operations the
 * same attention allocates a [B, H, N, N] tensor for the scores and another for the probabilities (15 MB each
 * for ViT-B at batch 8), copies q scaled, and merges the heads with a transposing copy; here a head's
 * probabilities (155 KB at N = 197) stay in L2 between the softmax and the product that reads them, and the
 * only memory the operation touches beyond its input and output is three per-thread buffers.
 *
 * <p>Backward recomputes the probabilities (the forward keeps nothing but qkv) and then, per head:
 * dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(dP ∘ P)), dK = dSᵀ·(q·scale), dQ = (dS·scale)·K.
 */
final class AttentionKernel {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private AttentionKernel() {
    }

    /** A thread's working arrays, grown on demand and counted as engine caches while held. */
    private static final class Buffers {
        private final CachedFloats qs = new CachedFloats();
        private final CachedFloats p = new CachedFloats();
        private final CachedFloats dp = new CachedFloats();
    }

    /** The shape of one call: qkv [b, n, 3·c] with c = heads·d, contiguous from offset xo. */
    private record Dims(int b, int n, int c, int heads, int d) {
        static Dims of(Tensor qkv, int heads) {
            int c = qkv.size(2) / 3;
            return new Dims(qkv.size(0), qkv.size(1), c, heads, c / heads);
        }

        int c3() {
            return 3 * c;
        }

        /** Offset of head h's q columns in row 0 of batch item bi. */
        int qkvBase(int xo, int bi, int h) {
            return xo + bi * n * c3() + h * d;
        }
    }

    static void forward(Tensor qkv, int heads, float scale, Tensor out) {
        Dims dm = Dims.of(qkv, heads);
        float[] x = Arrays.f32(qkv);
        float[] o = Arrays.f32(out);
        int xo = qkv.offset();
        int oo = out.offset();
        int n = dm.n();
        int d = dm.d();
        int c = dm.c();
        Parallel.forRange(dm.b() * heads, 1, (lo, hi) -> {
            Buffers buf = BUFFERS.get();
            float[] qs = buf.qs.atLeast(n * d);
            float[] p = buf.p.atLeast(n * n);
            for (int t = lo; t < hi; t++) {
                int bi = t / heads;
                int h = t % heads;
                int base = dm.qkvBase(xo, bi, h);
                probabilities(x, base, dm, scale, qs, p);
                // O_h = P·V_h, into the head's columns of the merged output.
                Gemm.serial(p, 0, n, 1, x, base + 2 * c, dm.c3(), 1, n, n, d, o, oo + bi * n * c + h * d, c);
            }
        });
    }

    static void backward(Tensor qkv, Tensor dOut, int heads, float scale, Tensor dQkv) {
        Dims dm = Dims.of(qkv, heads);
        float[] x = Arrays.f32(qkv);
        float[] g = Arrays.f32(dOut);
        float[] dx = Arrays.f32(dQkv);
        int xo = qkv.offset();
        int go = dOut.offset();
        int dxo = dQkv.offset();
        int n = dm.n();
        int d = dm.d();
        int c = dm.c();
        int c3 = dm.c3();
        Parallel.forRange(dm.b() * heads, 1, (lo, hi) -> {
            Buffers buf = BUFFERS.get();
            float[] qs = buf.qs.atLeast(n * d);
            float[] p = buf.p.atLeast(n * n);
            float[] dp = buf.dp.atLeast(n * n);
            for (int t = lo; t < hi; t++) {
                int bi = t / heads;
                int h = t % heads;
                int base = dm.qkvBase(xo, bi, h);
                int gBase = go + bi * n * c + h * d;
                int dBase = dm.qkvBase(dxo, bi, h);
                probabilities(x, base, dm, scale, qs, p);
                // dV = Pᵀ·dO (Pᵀ read in place: element (i, j) of Pᵀ is p[j·n + i])
                Gemm.serial(p, 0, 1, n, g, gBase, c, 1, n, n, d, dx, dBase + 2 * c, c3);
                // dP = dO·Vᵀ
                Gemm.serial(g, gBase, c, 1, x, base + 2 * c, 1, c3, n, d, n, dp, 0, n);
                for (int i = 0; i < n; i++) {
                    SoftmaxKernel.backwardRow(p, i * n, dp, i * n, dp, i * n, n, false);   // dS, in place
                }
                // dK = dSᵀ·(q·scale)
                Gemm.serial(dp, 0, 1, n, qs, 0, d, 1, n, n, d, dx, dBase + c, c3);
                // dQ = (dS·scale)·K
                scale(dp, n * n, scale);
                Gemm.serial(dp, 0, n, 1, x, base + c, c3, 1, n, n, d, dx, dBase, c3);
            }
        });
    }

    /** qs ← q_h·scale (n x d, contiguous), p ← softmax(qs·k_hᵀ) (n x n, contiguous). */
    private static void probabilities(float[] x, int base, Dims dm, float scale, float[] qs, float[] p) {
        int n = dm.n();
        int d = dm.d();
        int c3 = dm.c3();
        int ub = S.loopBound(d);
        FloatVector vs = FloatVector.broadcast(S, scale);
        for (int i = 0; i < n; i++) {
            int src = base + i * c3;
            int dst = i * d;
            for (int j = 0; j < ub; j += L) {
                FloatVector.fromArray(S, x, src + j).mul(vs).intoArray(qs, dst + j);
            }
            for (int j = ub; j < d; j++) {
                qs[dst + j] = x[src + j] * scale;
            }
        }
        // kᵀ read in place: element (kk, j) of kᵀ is k[j, kk] = x[base + c + j·c3 + kk].
        Gemm.serial(qs, 0, d, 1, x, base + dm.c(), 1, c3, n, d, n, p, 0, n);
        for (int i = 0; i < n; i++) {
            SoftmaxKernel.row(p, i * n, p, i * n, n, false);
        }
    }

    private static void scale(float[] a, int len, float s) {
        int ub = S.loopBound(len);
        FloatVector vs = FloatVector.broadcast(S, s);
        for (int i = 0; i < ub; i += L) {
            FloatVector.fromArray(S, a, i).mul(vs).intoArray(a, i);
        }
        for (int i = ub; i < len; i++) {
            a[i] *= s;
        }
    }
}
