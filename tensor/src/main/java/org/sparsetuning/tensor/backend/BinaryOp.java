package org.sparsetuning.tensor.backend;

/**
 * Elementwise functions of two tensors, including comparisons (1 for true, 0 for false) and the fused
 * gradients of activations, so a backward pass reads its saved tensor once instead of three times.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN,
    EQ, NE, LT, LE, GT, GE,
    /** a = x, b = upstream gradient: b · GELU'(x). */
    GELU_BACKWARD,
    /** a = x, b = upstream gradient: b · [x > 0]. */
    RELU_BACKWARD,
    /** a = y = tanh(x), b = upstream gradient: b · (1 − y²). */
    TANH_BACKWARD,
    /** a = y = sigmoid(x), b = upstream gradient: b · y · (1 − y). */
    SIGMOID_BACKWARD;

    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    public double apply(double a, double b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case POW: return Math.pow(a, b);
            case MAX: return Math.max(a, b);
            case MIN: return Math.min(a, b);
            case EQ: return a == b ? 1 : 0;
            case NE: return a != b ? 1 : 0;
            case LT: return a < b ? 1 : 0;
            case LE: return a <= b ? 1 : 0;
            case GT: return a > b ? 1 : 0;
            case GE: return a >= b ? 1 : 0;
            case GELU_BACKWARD: {
                double cdf = 0.5 * (1.0 + Erf.erf(a * INV_SQRT2));
                double pdf = INV_SQRT_2PI * Math.exp(-0.5 * a * a);
                return b * (cdf + a * pdf);
            }
            case RELU_BACKWARD: return a > 0 ? b : 0.0;
            case TANH_BACKWARD: return b * (1.0 - a * a);
            case SIGMOID_BACKWARD: return b * a * (1.0 - a);
            default: throw new AssertionError(this);
        }
    }
}
