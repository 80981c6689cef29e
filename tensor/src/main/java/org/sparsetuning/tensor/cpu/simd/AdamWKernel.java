package org.sparsetuning.tensor.cpu.simd;

import static org.sparsetuning.tensor.cpu.simd.VMath.L;
import static org.sparsetuning.tensor.cpu.simd.VMath.S;

import jdk.incubator.vector.FloatVector;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.AdamWStep;
import org.sparsetuning.tensor.backend.ComposedAdamW;
import org.sparsetuning.tensor.parallel.Parallel;

/**
 * One AdamW update in a single pass: each element of p, g, m and v is read once and p, m, v written once. The
 * composed form ({@link ComposedAdamW}) makes about fifteen passes over the parameter's size, which for full
 * fine-tuning of ViT-B (86 M weights) is gigabytes of memory traffic a step. The operations and their order are
 * the composed form's (no fused multiply-add), so the two give the same bits.
 */
final class AdamWKernel {
    /** Elements per task: enough to pay for the fork, a few hundred KiB of the four arrays. */
    private static final int CHUNK = 1 << 14;

    private AdamWKernel() {
    }

    /** p, g, m and v contiguous F32 of one length. */
    static void update(Tensor p, Tensor g, Tensor m, Tensor v, AdamWStep s) {
        float[] ps = Arrays.f32(p);
        float[] gs = Arrays.f32(g);
        float[] ms = Arrays.f32(m);
        float[] vs = Arrays.f32(v);
        int po = p.offset();
        int go = g.offset();
        int mo = m.offset();
        int vo = v.offset();
        int n = p.numel();
        Constants c = new Constants(s);
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            int start = lo * CHUNK;
            int end = Math.min(n, hi * CHUNK);
            apply(c, ps, po + start, gs, go + start, ms, mo + start, vs, vo + start, end - start);
        });
    }

    /** The step's scalars rounded to float once, as the composed form's scalar operands are. */
    private record Constants(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float c2, float eps,
                             float lrOverC1, float decay, boolean decays) {
        Constants(AdamWStep s) {
            this((float) s.beta1(), (float) s.oneMinusBeta1(), (float) s.beta2(), (float) s.oneMinusBeta2(), (float) s.c2(),
                    (float) s.eps(), (float) s.stepSize(), (float) s.decayFactor(), s.weightDecay() != 0);
        }
    }

    private static void apply(Constants c, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n) {
        int i = 0;
        int ub = S.loopBound(n);
        FloatVector b1 = FloatVector.broadcast(S, c.beta1);
        FloatVector ob1 = FloatVector.broadcast(S, c.oneMinusBeta1);
        FloatVector b2 = FloatVector.broadcast(S, c.beta2);
        FloatVector ob2 = FloatVector.broadcast(S, c.oneMinusBeta2);
        FloatVector c2 = FloatVector.broadcast(S, c.c2);
        FloatVector eps = FloatVector.broadcast(S, c.eps);
        FloatVector rate = FloatVector.broadcast(S, c.lrOverC1);
        FloatVector decay = FloatVector.broadcast(S, c.decay);
        for (; i < ub; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            FloatVector mi = FloatVector.fromArray(S, m, mo + i).mul(b1).add(gi.mul(ob1));
            FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(b2).add(gi.mul(gi).mul(ob2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            FloatVector step = mi.div(vi.div(c2).sqrt().add(eps)).mul(rate);
            FloatVector pi = FloatVector.fromArray(S, p, po + i);
            (c.decays ? pi.mul(decay) : pi).sub(step).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float gi = g[go + i];
            float mi = m[mo + i] * c.beta1 + gi * c.oneMinusBeta1;
            float vi = v[vo + i] * c.beta2 + gi * gi * c.oneMinusBeta2;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float step = mi / ((float) Math.sqrt(vi / c.c2) + c.eps) * c.lrOverC1;
            float pi = p[po + i];
            p[po + i] = (c.decays ? pi * c.decay : pi) - step;
        }
    }
}
