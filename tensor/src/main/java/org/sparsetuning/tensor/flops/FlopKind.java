package org.sparsetuning.tensor.flops;

/**
 * What a counted operation was, and whether fvcore's {@code FlopCountAnalysis} (the counter the
 * Sparse-Tuning code reports, SPEC A.9) counts it. fvcore counts one multiply-add as one flop, counts
 * linear/matmul/conv and normalisation layers, and skips elementwise ops, softmax, activations, gathers
 * and sums.
 */
public enum FlopKind {
    /** Multiply-adds of a matrix product (linear layers, attention products, a convolution done as one). */
    MATMUL("matmul", true),
    /** Layer norm: 5 flops per element with an affine transform, 4 without (fvcore's norm rule). */
    LAYER_NORM("layernorm", true),
    /**
     * Batch norm: in evaluation (running statistics, a fixed scale and shift) 2 flops per element with an
     * affine transform, 1 without; in training 5 or 4 as layer norm (fvcore's batch-norm rule).
     */
    BATCH_NORM("batchnorm", true),
    /**
     * Multiply-adds of a weighted sum over rows that this engine computes as a product but a PyTorch model
     * writes as an elementwise product and a sum (EViT's fused token), which fvcore does not count.
     */
    WEIGHTED_SUM("weighted-sum", false),
    /**
     * Multiply-adds this engine spends on values the reference model gets for free from another product (the
     * class token's attention row, computed apart because the full attention matrix is not kept), so not
     * part of the model's count.
     */
    DUPLICATE("duplicate", false);

    /** Short name for reports. */
    public final String label;
    /** Whether fvcore adds this kind to its total. */
    public final boolean countedByFvcore;

    FlopKind(String label, boolean countedByFvcore) {
        this.label = label;
        this.countedByFvcore = countedByFvcore;
    }
}
