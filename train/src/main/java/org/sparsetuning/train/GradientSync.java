package org.sparsetuning.train;

import java.util.List;
import org.sparsetuning.autograd.Variable;

/**
 * Data-parallel training: how the replicas of a model, each holding a disjoint slice of every global batch (see
 * {@link org.sparsetuning.data.loader.DataLoader.Builder#shard}), agree on a step. Each replica scales its slice's loss by
 * slice / global batch before backward, so the replicas' gradients add up to the global batch's; the {@link Trainer}
 * then asks for that sum before the optimizer step. Implementations sum in a fixed order (replica 0 first), so every
 * replica applies the same update bit for bit. One exchange per step: its latency is paid once.
 */
public interface GradientSync {
    /**
     * Replaces each parameter's gradient (null: zeros, as on a replica with an empty slice) by the sum over replicas
     * in replica order, and returns the element-wise sum of {@code stats} over replicas in the same order.
     */
    double[] allReduce(List<Variable> params, double[] stats);
}
