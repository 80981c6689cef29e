package org.sparsetuning.autograd.ops;

import org.sparsetuning.autograd.Function;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/**
 * Mean cross-entropy of logits [..., C] against I32 class labels [...], with label smoothing ε: the target
 * is (1−ε)·onehot + ε/C. Log-softmax is fused in, so only the log-probabilities are saved and the gradient
 * is (softmax − target)·g / rows.
 */
public final class CrossEntropy extends Function {
    private final Tensor labels;
    private final double smoothing;
    private int[] inShape;
    private Tensor logProbs;
    private Tensor labelColumn;

    public CrossEntropy(Tensor labels, double smoothing) {
        if (labels.dtype() != DType.I32) {
            throw new IllegalArgumentException("crossEntropy: labels must be I32, got " + labels.dtype());
        }
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + smoothing);
        }
        this.labels = labels;
        this.smoothing = smoothing;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        inShape = x.shape();
        int classes = x.size(-1);
        int rows = x.numel() / Math.max(classes, 1);
        if (labels.numel() != rows || x.dim() != labels.dim() + 1) {
            throw new IllegalArgumentException("crossEntropy: labels " + Shape.str(labels.shape()) + " do not match logits "
                    + Shape.str(inShape) + " (expected the logits' shape without the class dimension)");
        }
        Tensor lsm = Ops.softmax(x.reshape(rows, classes), true);
        // Labels usually come from the host; on a device they are uploaded here (a no-op on the CPU).
        Tensor column = labels.to(x.device()).reshape(rows, 1);
        Tensor picked = lsm.gather(1, column).sum().mul(-(1.0 - smoothing) / rows);
        Tensor loss = smoothing == 0 ? picked : picked.add(lsm.sum().mul(-smoothing / ((double) classes * rows)));
        logProbs = save(lsm);
        labelColumn = save(column);
        return loss;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int rows = logProbs.size(0);
        int classes = logProbs.size(1);
        Tensor softmaxMinusSmooth = logProbs.exp().sub(smoothing / classes);
        Tensor onehot = Ops.scalarLike(g, -(1.0 - smoothing)).expand(rows, 1);
        Tensor d = Ops.scatterAdd(softmaxMinusSmooth, 1, labelColumn, onehot);
        return new Tensor[] {d.mul(g.mul(1.0 / rows)).reshape(inShape)};
    }
}
