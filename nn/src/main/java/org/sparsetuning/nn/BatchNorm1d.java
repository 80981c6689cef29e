package org.sparsetuning.nn;

import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.device.Device;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.tensor.flops.FlopCounter;

/**
 * Batch normalisation of [B, D] features without a learnt scale or shift (PyTorch's
 * {@code BatchNorm1d(D, affine=False)}): in training, each feature is normalised with the batch mean and the
 * biased batch variance, and running statistics are updated (momentum 0.1, unbiased variance, as PyTorch); in
 * evaluation the running statistics are used. It has no trainable tensors; the running statistics are state,
 * not parameters.
 */
public final class BatchNorm1d extends Module {
    public final int features;
    public final double eps;
    public final double momentum;
    private Tensor runningMean; // replaced only by moveState
    private Tensor runningVar;

    public BatchNorm1d(int features, double eps) {
        this.features = features;
        this.eps = eps;
        this.momentum = 0.1;
        this.runningMean = Tensor.zeros(features);
        this.runningVar = Tensor.ones(features);
    }

    @Override
    protected void moveState(Device device) {
        Tensor mean = runningMean;
        Tensor var = runningVar;
        runningMean = TensorScope.unowned(() -> mean.to(device));
        runningVar = TensorScope.unowned(() -> var.to(device));
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    @SuppressWarnings("try") // the no-grad guard acts by being open
    public Variable forward(Variable x) {
        if (x.dim() != 2 || x.size(1) != features) {
            throw new IllegalArgumentException("BatchNorm1d(" + features + "): input must be [B, " + features + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        FlopCounter.batchNorm(x.data().numel(), false, isTraining());
        if (!isTraining()) {
            Tensor shift = runningMean.to(x.data().dtype());
            Tensor inv = runningVar.add(eps).rsqrt().to(x.data().dtype());
            return x.sub(Variable.constant(shift)).mul(Variable.constant(inv));
        }
        int b = x.size(0);
        if (b < 2) {
            throw new IllegalArgumentException("BatchNorm1d in training needs more than one sample per batch, got " + b);
        }
        Variable mean = x.mean(0, true);
        Variable centred = x.sub(mean);
        Variable var = x.var(0, true, 0);
        try (GradMode.Guard off = GradMode.disabled()) {
            Tensor unbiased = var.data().reshape(features).mul((double) b / (b - 1));
            runningMean.copyFrom(runningMean.mul(1 - momentum).add(mean.data().reshape(features).to(runningMean.dtype()).mul(momentum)));
            runningVar.copyFrom(runningVar.mul(1 - momentum).add(unbiased.to(runningVar.dtype()).mul(momentum)));
        }
        return centred.mul(var.add(eps).rsqrt());
    }
}
