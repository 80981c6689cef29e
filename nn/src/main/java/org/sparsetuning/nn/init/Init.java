package org.sparsetuning.nn.init;

import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** Parameter initialisers, with PyTorch's definitions of fan-in and fan-out for [out, in, ...] weights. */
public final class Init {
    private Init() {
    }

    static int fanIn(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan-in needs a weight of rank >= 2, got " + Shape.str(shape));
        }
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return shape[1] * receptive;
    }

    static int fanOut(int[] shape) {
        int receptive = 1;
        for (int i = 2; i < shape.length; i++) {
            receptive *= shape[i];
        }
        return shape[0] * receptive;
    }

    public static Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /** U(−b, b) with b = 1/√fan_in: PyTorch's nn.Linear default, kaiming_uniform_ with a = √5. */
    public static Tensor kaimingUniform(Generator g, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn(shape));
        return Tensor.of(g.uniform(Shape.numel(shape), -bound, bound), shape);
    }

    /** U(−b, b) with b = √(6 / (fan_in + fan_out)) (Glorot). */
    public static Tensor xavierUniform(Generator g, int... shape) {
        double bound = Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
        return Tensor.of(g.uniform(Shape.numel(shape), -bound, bound), shape);
    }

    /** N(0, std²) cut to [−2, 2] absolute, as timm's trunc_normal_(std=…) is used for ViT weights. */
    public static Tensor truncNormal(Generator g, double std, int... shape) {
        return Tensor.of(g.truncatedNormal(Shape.numel(shape), 0, std, -2, 2), shape);
    }

    public static Tensor uniform(Generator g, double lo, double hi, int... shape) {
        return Tensor.of(g.uniform(Shape.numel(shape), lo, hi), shape);
    }
}
