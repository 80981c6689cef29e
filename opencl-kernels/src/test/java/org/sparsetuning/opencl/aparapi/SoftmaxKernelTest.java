package org.sparsetuning.opencl.aparapi;

import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.assertClose;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.empty;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

/** Row softmax and its backward against the reference backend. */
class SoftmaxKernelTest {
    private static AparapiOps ops;

    // Per test rather than @BeforeAll, so that without a device every test is reported skipped, by name.
    @BeforeEach
    void open() {
        if (ops == null) {
            ops = new AparapiOps(AparapiTestSupport.device());
        }
    }

    @AfterAll
    static void close() {
        if (ops != null) {
            ops.close();
            ops = null;
        }
    }

    private static Tensor referenceSoftmax(Tensor x) {
        Tensor y = empty(x.shape());
        reference().softmax(x, false, y);
        return y;
    }

    // Columns around the group of 128 items (fewer, equal, one more, several strides) and odd row counts.
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "1,7", "3,33", "5,127", "2,128", "7,129", "3,257", "2,1000", "33,197"})
    void forward(int rows, int cols) {
        Generator g = new Generator(rows * 10_000 + cols);
        // Scores up to ±40 around an offset of 60: exp would overflow without the max subtraction.
        Tensor x = Tensor.randn(g, rows, cols).mul(20).add(60);
        assertClose(referenceSoftmax(x), ops.softmax(x), 1e-7, 2e-5, "softmax " + rows + "x" + cols);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "1,7", "3,33", "2,128", "7,129", "3,257", "2,1000"})
    void backward(int rows, int cols) {
        Generator g = new Generator(7 + rows * 10_000 + cols);
        Tensor y = referenceSoftmax(Tensor.randn(g, rows, cols).mul(3));
        Tensor dy = Tensor.randn(g, rows, cols);
        Tensor want = empty(y.shape());
        reference().softmaxBackward(y, dy, false, want);
        assertClose(want, ops.softmaxBackward(y, dy), 1e-6, 2e-5, "softmax backward " + rows + "x" + cols);
    }

    @Test
    void attentionShapedAndNonContiguous() {
        Generator g = new Generator(11);
        // [batch, heads, tokens, tokens] scores, and their transposed view (softmax over the other axis).
        Tensor scores = Tensor.randn(g, 2, 3, 17, 17).mul(5);
        assertClose(referenceSoftmax(scores), ops.softmax(scores), 1e-7, 2e-5, "4-D scores");
        Tensor t = scores.transpose(2, 3);
        assertClose(referenceSoftmax(t), ops.softmax(t), 1e-7, 2e-5, "transposed scores");
        Tensor narrow = Tensor.randn(g, 6, 300).narrow(1, 40, 130);
        Tensor y = referenceSoftmax(narrow);
        Tensor dy = Tensor.randn(g, 130, 6).mT();
        Tensor want = empty(y.shape());
        reference().softmaxBackward(y, dy, false, want);
        assertClose(referenceSoftmax(narrow), ops.softmax(narrow), 1e-7, 2e-5, "narrowed rows");
        assertClose(want, ops.softmaxBackward(y, dy), 1e-6, 2e-5, "backward with a transposed dy");
    }
}
