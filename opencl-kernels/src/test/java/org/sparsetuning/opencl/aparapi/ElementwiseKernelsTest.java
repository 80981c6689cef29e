package org.sparsetuning.opencl.aparapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.assertClose;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.assertSame;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.empty;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.random.Generator;

/** Broadcast add/mul, scale and GELU (forward and backward) against the scalar reference backend. */
class ElementwiseKernelsTest {
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

    private static Tensor referenceBinary(BinaryOp op, Tensor a, Tensor b) {
        Tensor out = empty(a.shape());
        reference().binary(op, a, b.expand(a.shape()), out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257, 1000})
    void addAndMulOfSameShapes(int n) {
        Generator g = new Generator(n);
        Tensor a = Tensor.randn(g, 3, n);
        Tensor b = Tensor.randn(g, 3, n);
        assertSame(referenceBinary(BinaryOp.ADD, a, b), ops.add(a, b), "add n=" + n);
        assertSame(referenceBinary(BinaryOp.MUL, a, b), ops.mul(a, b), "mul n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257})
    void rowAndBlockBroadcast(int n) {
        Generator g = new Generator(100 + n);
        Tensor a = Tensor.randn(g, 2, 5, n);
        Tensor row = Tensor.randn(g, n);
        Tensor block = Tensor.randn(g, 5, n);
        assertSame(referenceBinary(BinaryOp.ADD, a, row), ops.add(a, row), "bias row n=" + n);
        assertSame(referenceBinary(BinaryOp.MUL, a, row), ops.mul(a, row), "scale row n=" + n);
        assertSame(referenceBinary(BinaryOp.ADD, a, block), ops.add(a, block), "block n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257})
    void nonContiguousOperandsAreMadeContiguous(int n) {
        Generator g = new Generator(200 + n);
        Tensor a = Tensor.randn(g, n, 3).mT();                       // [3, n], strides (1, 3)
        Tensor offsetRow = Tensor.randn(g, n + 5).narrow(0, 2, n);   // contiguous, but starts at element 2
        Tensor stridedRow = Tensor.randn(g, n, 2).select(1, 1);      // stride 2, offset 1
        if (n > 1) {   // with a single column, the views are trivially contiguous
            assertFalse(a.isContiguous());
            assertFalse(stridedRow.isContiguous());
        }
        assertSame(referenceBinary(BinaryOp.ADD, a, offsetRow), ops.add(a, offsetRow), "offset row n=" + n);
        assertSame(referenceBinary(BinaryOp.MUL, a, stridedRow), ops.mul(a, stridedRow), "strided row n=" + n);
        Tensor wide = Tensor.randn(g, 4, n + 3).narrow(1, 1, n);    // rows with a gap between them
        assertSame(referenceBinary(BinaryOp.ADD, wide, wide), ops.add(wide, wide), "narrowed n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257, 1000})
    void scale(int n) {
        Generator g = new Generator(300 + n);
        Tensor x = Tensor.randn(g, n, 2).mT();
        float s = 0.125f * 3;
        assertSame(referenceBinary(BinaryOp.MUL, x, Tensor.scalar(s)), ops.scale(x, s), "scale n=" + n);
    }

    /** Uniform over [−12, 12] plus the points where GELU's pieces change behaviour. */
    private static Tensor geluInputs(Generator g, int n) {
        float[] v = g.uniform(n, -12, 12);
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 0.5f, -0.75f, 3f, -3f, 6f, -6f, 10f, -10f, 40f, -40f};
        for (int i = 0; i < Math.min(n, special.length); i++) {
            v[i] = special[i];
        }
        return Tensor.of(v, n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257, 4099})
    void geluForward(int n) {
        Tensor x = geluInputs(new Generator(400 + n), n);
        Tensor want = empty(x.shape());
        reference().unary(UnaryOp.GELU, x, want);
        // Our erfc is within 1.2e-7 relative; float exp adds a few ulps.
        assertClose(want, ops.gelu(x), 1e-6, 1e-5, "gelu n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 257, 4099})
    void geluBackward(int n) {
        Generator g = new Generator(500 + n);
        Tensor x = geluInputs(g, n);
        Tensor dy = Tensor.randn(g, n);
        Tensor want = empty(x.shape());
        reference().binary(BinaryOp.GELU_BACKWARD, x, dy, want);
        assertClose(want, ops.geluBackward(x, dy), 2e-6, 1e-5, "gelu backward n=" + n);
    }

    @Test
    void geluOfNonContiguousInput() {
        Generator g = new Generator(7);
        Tensor x = Tensor.randn(g, 33, 7).mul(4).mT();
        Tensor dy = Tensor.randn(g, 7, 40).narrow(1, 3, 33);
        Tensor want = empty(x.shape());
        reference().unary(UnaryOp.GELU, x, want);
        assertClose(want, ops.gelu(x), 1e-6, 1e-5, "gelu of a transposed view");
        Tensor wantGrad = empty(x.shape());
        reference().binary(BinaryOp.GELU_BACKWARD, x, dy, wantGrad);
        assertClose(wantGrad, ops.geluBackward(x, dy), 2e-6, 1e-5, "gelu backward of views");
    }

    @Test
    void emptyTensorsNeverReachTheDevice() {
        Tensor x = Tensor.zeros(0, 5);
        assertTrue(ops.gelu(x).numel() == 0 && ops.add(x, Tensor.zeros(5)).numel() == 0);
    }

    @Test
    void refusesWhatTheKernelsCannotTake() {
        Tensor a = Tensor.zeros(3, 4);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> ops.add(a, Tensor.zeros(3)));
        assertTrue(shape.getMessage().contains("[3]"), shape.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> ops.gelu(Tensor.zeros(DType.F64, 4)));
        assertTrue(dtype.getMessage().contains("F64"), dtype.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ops.geluBackward(a, Tensor.zeros(4, 3)));
    }
}
