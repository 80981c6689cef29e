package org.sparsetuning.autograd.ops;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** Random test inputs in double precision. */
final class Inputs {
    private static final Generator RNG = new Generator(20240521L);

    private Inputs() {
    }

    /** Standard normal values. */
    static Tensor randn(int... shape) {
        return Tensor.randn(RNG, shape).to(DType.F64);
    }

    /** Uniform in [lo, hi), for functions defined on part of the line (log, sqrt, pow). */
    static Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.rand(RNG, shape).to(DType.F64).mul(hi - lo).add(lo);
    }

    static Tensor ints(int[] values, int... shape) {
        return Tensor.ofInts(values, shape);
    }
}
