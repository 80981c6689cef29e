package org.sparsetuning.tensor.backend;

/** Elementwise functions of one tensor. The scalar formula in {@link #apply(double)} is the specification. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, RELU, GELU, ABS, SQUARE, RECIPROCAL;

    private static final double INV_SQRT2 = 0.7071067811865476;

    public double apply(double x) {
        switch (this) {
            case NEG: return -x;
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SQRT: return Math.sqrt(x);
            case RSQRT: return 1.0 / Math.sqrt(x);
            case TANH: return Math.tanh(x);
            case SIGMOID: return 1.0 / (1.0 + Math.exp(-x));
            case RELU: return x > 0 ? x : 0.0;
            case GELU: return 0.5 * x * (1.0 + Erf.erf(x * INV_SQRT2));
            case ABS: return Math.abs(x);
            case SQUARE: return x * x;
            case RECIPROCAL: return 1.0 / x;
            default: throw new AssertionError(this);
        }
    }
}
