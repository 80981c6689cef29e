package org.sparsetuning.tensor.backend;

/** Reductions over one dimension. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
