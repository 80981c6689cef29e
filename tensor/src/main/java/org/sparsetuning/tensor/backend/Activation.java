package org.sparsetuning.tensor.backend;

/** An activation fused into the epilogue of a matrix product, applied after the bias. */
public enum Activation {
    NONE, RELU, GELU;

    public UnaryOp asUnary() {
        switch (this) {
            case RELU: return UnaryOp.RELU;
            case GELU: return UnaryOp.GELU;
            default: return null;
        }
    }
}
