package org.sparsetuning.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.train.GradientSync;

/**
 * Sums gradients over the tasks of a barrier stage with {@link BarrierTaskContext#allGather}: every replica sends
 * its gradients (F32, little-endian, Base64: allGather carries strings) through the driver and receives everyone's,
 * ordered by partition, and adds them in that order starting from replica 0. Every replica does the same float
 * additions in the same order, so all of them hold the same sum, bit for bit, and apply the same AdamW step.
 */
final class AllGatherSync implements GradientSync {
    private final BarrierTaskContext ctx;
    private long allReduceNanos;
    private long lastAllReduceNanos;
    private long bytesSent;

    AllGatherSync(BarrierTaskContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public double[] allReduce(List<Variable> params, double[] stats) {
        long t0 = System.nanoTime();
        long floats = 0;
        for (Variable p : params) {
            floats += p.data().numel();
        }
        ByteBuffer mine = ByteBuffer.allocate(Math.toIntExact(8L * stats.length + 4L * floats)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : stats) {
            mine.putDouble(v);
        }
        for (Variable p : params) {
            Tensor g = p.grad();
            if (g == null) {
                mine.position(mine.position() + 4 * (int) p.data().numel()); // zeros: this replica's slice was empty
            } else {
                for (float v : g.contiguous().toFloatArray()) {
                    mine.putFloat(v);
                }
            }
        }
        String message = Base64.getEncoder().encodeToString(mine.array());
        bytesSent += message.length();
        String[] all = ctx.allGather(message);
        double[] sumStats = new double[stats.length];
        float[][] sums = new float[params.size()][];
        for (int r = 0; r < all.length; r++) {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(all[r])).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < stats.length; i++) {
                sumStats[i] += b.getDouble();
            }
            for (int i = 0; i < params.size(); i++) {
                int n = (int) params.get(i).data().numel();
                if (r == 0) {
                    sums[i] = new float[n];
                    b.asFloatBuffer().get(sums[i]);
                    b.position(b.position() + 4 * n);
                } else {
                    float[] s = sums[i];
                    for (int k = 0; k < n; k++) {
                        s[k] += b.getFloat();
                    }
                }
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Variable p = params.get(i);
            p.setGrad(Tensor.of(sums[i], p.data().shape()));
        }
        lastAllReduceNanos = System.nanoTime() - t0;
        allReduceNanos += lastAllReduceNanos;
        return sumStats;
    }

    /** Seconds of the last step spent exchanging gradients, and in all steps so far. */
    double lastSeconds() {
        return lastAllReduceNanos / 1e9;
    }

    double totalSeconds() {
        return allReduceNanos / 1e9;
    }

    long bytesSent() {
        return bytesSent;
    }
}
