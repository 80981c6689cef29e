package org.sparsetuning.autograd;

import org.sparsetuning.autograd.ops.Add;
import org.sparsetuning.autograd.ops.AddScalar;
import org.sparsetuning.autograd.ops.Concat;
import org.sparsetuning.autograd.ops.CrossEntropy;
import org.sparsetuning.autograd.ops.Div;
import org.sparsetuning.autograd.ops.Dropout;
import org.sparsetuning.autograd.ops.Exp;
import org.sparsetuning.autograd.ops.FusedMlp;
import org.sparsetuning.autograd.ops.Gather;
import org.sparsetuning.autograd.ops.Gelu;
import org.sparsetuning.autograd.ops.IndexSelect;
import org.sparsetuning.autograd.ops.LayerNorm;
import org.sparsetuning.autograd.ops.Linear;
import org.sparsetuning.autograd.ops.Log;
import org.sparsetuning.autograd.ops.LogSoftmax;
import org.sparsetuning.autograd.ops.MaskedFill;
import org.sparsetuning.autograd.ops.MatMul;
import org.sparsetuning.autograd.ops.Mul;
import org.sparsetuning.autograd.ops.MulScalar;
import org.sparsetuning.autograd.ops.Relu;
import org.sparsetuning.autograd.ops.SelfAttention;
import org.sparsetuning.autograd.ops.ScatterAdd;
import org.sparsetuning.autograd.ops.Sigmoid;
import org.sparsetuning.autograd.ops.Softmax;
import org.sparsetuning.autograd.ops.Stack;
import org.sparsetuning.autograd.ops.Sub;
import org.sparsetuning.autograd.ops.Tanh;
import org.sparsetuning.autograd.ops.Where;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/**
 * The differentiable operations as static functions, in the manner of {@code torch.nn.functional}. Each
 * creates one {@link Function} node; the same operations are also instance methods of {@link Variable}.
 */
public final class F {
    private F() {
    }

    /** x·Wᵀ + b with W [out, in]; bias may be null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        return new Linear().apply(x, weight, bias);
    }

    /**
     * Multi-head self-attention on a packed projection qkv [B, N, 3·heads·d] → [B, N, heads·d]; keeps only qkv
     * for backward (the probabilities are recomputed there). See {@link SelfAttention}.
     */
    public static Variable selfAttention(Variable qkv, int heads, double scale) {
        return new SelfAttention(heads, scale).apply(qkv);
    }

    /**
     * fc2(GELU(fc1(x))) as one operation; biases may be null. For backward it keeps fc1's output
     * ({@code keepHidden}) or only x, recomputing fc1 there. See {@link FusedMlp}.
     */
    public static Variable fusedMlp(Variable x, Variable w1, Variable b1, Variable w2, Variable b2, boolean keepHidden) {
        return new FusedMlp(keepHidden).apply(x, w1, b1, w2, b2);
    }

    /** Layer norm over the last dimension; weight and bias may be null. */
    public static Variable layerNorm(Variable x, Variable weight, Variable bias, double eps) {
        return new LayerNorm(eps).apply(x, weight, bias);
    }

    public static Variable gelu(Variable x) {
        return new Gelu().apply(x);
    }

    public static Variable relu(Variable x) {
        return new Relu().apply(x);
    }

    public static Variable tanh(Variable x) {
        return new Tanh().apply(x);
    }

    public static Variable sigmoid(Variable x) {
        return new Sigmoid().apply(x);
    }

    public static Variable exp(Variable x) {
        return new Exp().apply(x);
    }

    public static Variable log(Variable x) {
        return new Log().apply(x);
    }

    public static Variable softmax(Variable x) {
        return new Softmax().apply(x);
    }

    public static Variable logSoftmax(Variable x) {
        return new LogSoftmax().apply(x);
    }

    public static Variable add(Variable a, Variable b) {
        return new Add().apply(a, b);
    }

    public static Variable sub(Variable a, Variable b) {
        return new Sub().apply(a, b);
    }

    public static Variable mul(Variable a, Variable b) {
        return new Mul().apply(a, b);
    }

    public static Variable div(Variable a, Variable b) {
        return new Div().apply(a, b);
    }

    public static Variable add(Variable a, double s) {
        return new AddScalar(s).apply(a);
    }

    public static Variable mul(Variable a, double s) {
        return new MulScalar(s).apply(a);
    }

    public static Variable matmul(Variable a, Variable b) {
        return new MatMul().apply(a, b);
    }

    /** Mean cross-entropy of logits [..., C] against I32 labels [...] (no label smoothing). */
    public static Variable crossEntropy(Variable logits, Tensor labels) {
        return crossEntropy(logits, labels, 0.0);
    }

    /** Mean cross-entropy with label smoothing ε: the target is (1−ε)·onehot + ε/C. */
    public static Variable crossEntropy(Variable logits, Tensor labels, double labelSmoothing) {
        return new CrossEntropy(labels, labelSmoothing).apply(logits);
    }

    public static Variable concat(int dim, Variable... parts) {
        return new Concat(dim).apply(parts);
    }

    public static Variable stack(int dim, Variable... parts) {
        return new Stack(dim).apply(parts);
    }

    /**
     * Inverted dropout with probability p, masks drawn from generator. Returns x itself when not training or
     * when p = 0, so evaluation records nothing.
     */
    public static Variable dropout(Variable x, double p, boolean training, Generator generator) {
        if (!training || p == 0) {
            return x;
        }
        return new Dropout(p, generator).apply(x);
    }

    public static Variable where(Tensor mask, Variable a, Variable b) {
        return new Where(mask).apply(a, b);
    }

    public static Variable maskedFill(Variable x, Tensor mask, double value) {
        return new MaskedFill(mask, value).apply(x);
    }

    public static Variable gather(Variable x, int dim, Tensor index) {
        return new Gather(dim, index).apply(x);
    }

    public static Variable indexSelect(Variable x, int dim, Tensor index) {
        return new IndexSelect(dim, index).apply(x);
    }

    /** A copy of dst with src added at index along dim (torch.scatter_add). */
    public static Variable scatterAdd(Variable dst, int dim, Tensor index, Variable src) {
        return new ScatterAdd(dim, index).apply(dst, src);
    }
}
