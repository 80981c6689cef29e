package org.sparsetuning.tensor.cpu.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.ReduceOp;
import org.sparsetuning.tensor.backend.UnaryOp;

/** Pins the specification itself to values worked out by hand (in double, so to ~1e-15). */
class ReferenceBackendTest {
    private final ReferenceBackend ref = new ReferenceBackend();

    private Tensor d(double[] v, int... shape) {
        return Tensor.of(v, shape);
    }

    private Tensor outD(int... shape) {
        return new Tensor(ref.allocate(DType.F64, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    private Tensor outI(int... shape) {
        return new Tensor(ref.allocate(DType.I32, Shape.numel(shape)), shape, Shape.contiguousStrides(shape), 0);
    }

    @Test
    void geluIsTheExactErfForm() {
        assertEquals(0.8413447460685429, UnaryOp.GELU.apply(1.0), 1e-15);
        assertEquals(-0.15865525393145707, UnaryOp.GELU.apply(-1.0), 1e-15);
        assertEquals(0.0, UnaryOp.GELU.apply(0.0), 0.0);
        // GELU'(1) = Φ(1) + φ(1) = 0.8413447460685429 + 0.24197072451914337.
        assertEquals(1.0833154705876864, BinaryOp.GELU_BACKWARD.apply(1.0, 1.0), 1e-15);
        assertEquals(0.5, UnaryOp.SIGMOID.apply(0.0), 0.0);
        assertEquals(0.0, BinaryOp.RELU_BACKWARD.apply(-1.0, 5.0), 0.0);
        assertEquals(0.75 * 2, BinaryOp.TANH_BACKWARD.apply(0.5, 2.0), 1e-15);
    }

    @Test
    void softmaxOfAKnownRow() {
        Tensor x = d(new double[] {1, 2, 3}, 1, 3);
        Tensor y = outD(1, 3);
        ref.softmax(x, false, y);
        assertArrayEquals(new double[] {0.09003057317038046, 0.24472847105479767, 0.6652409557748219}, y.toDoubleArray(), 1e-15);
        Tensor ly = outD(1, 3);
        ref.softmax(x, true, ly);
        assertArrayEquals(new double[] {-2.4076059644443806, -1.4076059644443806, -0.4076059644443806}, ly.toDoubleArray(), 1e-15);
        // Backward with dy = e0: dx = y·(dy − y0).
        Tensor dx = outD(1, 3);
        ref.softmaxBackward(y, d(new double[] {1, 0, 0}, 1, 3), false, dx);
        double y0 = 0.09003057317038046;
        assertArrayEquals(new double[] {y0 * (1 - y0), -0.24472847105479767 * y0, -0.6652409557748219 * y0}, dx.toDoubleArray(), 1e-15);
    }

    @Test
    void layerNormOfAKnownRow() {
        // mean 2.5, biased variance 1.25, rstd = 1/√1.25.
        Tensor x = d(new double[] {1, 2, 3, 4}, 1, 4);
        Tensor out = outD(1, 4);
        Tensor mean = outD(1);
        Tensor rstd = outD(1);
        ref.layerNorm(x, d(new double[] {1, 2, 1, 1}, 4), d(new double[] {0, 0, 1, 0}, 4), 0.0, out, mean, rstd);
        assertEquals(2.5, mean.item(), 1e-15);
        assertEquals(0.894427190999916, rstd.item(), 1e-15);
        assertArrayEquals(new double[] {-1.3416407864998738, -0.8944271909999158, 1.4472135954999579, 1.3416407864998738},
                out.toDoubleArray(), 1e-15);

        Tensor dy = d(new double[] {1, 0, 0, 0}, 1, 4);
        Tensor dx = outD(1, 4);
        Tensor dw = outD(4);
        Tensor db = outD(4);
        ref.layerNormBackward(dy, x, null, mean, rstd, dx, dw, db);
        double[] xhat = {-1.3416407864998738, -0.4472135954999579, 0.4472135954999579, 1.3416407864998738};
        assertArrayEquals(new double[] {xhat[0], 0, 0, 0}, dw.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0, 0}, db.toDoubleArray(), 0);
        // dx is orthogonal to both 1 and x̂ (the normalisation removes those directions) ...
        double[] g = dx.toDoubleArray();
        double sum = 0;
        double dot = 0;
        for (int i = 0; i < 4; i++) {
            sum += g[i];
            dot += g[i] * xhat[i];
        }
        assertEquals(0, sum, 1e-15);
        assertEquals(0, dot, 1e-15);
        // ... and dx0 = rstd·(1 − 1/4 − x̂0²/4) = 0.894427191·(0.75 − 0.45).
        assertEquals(0.894427190999916 * 0.3, g[0], 1e-15);
    }

    @Test
    void reductionsAndArgmaxTies() {
        Tensor x = d(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor o = outD(1, 2);
        ref.reduce(ReduceOp.SUM, x, 0, o);
        assertArrayEquals(new double[] {4, 6}, o.toDoubleArray(), 0);
        ref.reduce(ReduceOp.MEAN, x, 1, o = outD(2, 1));
        assertArrayEquals(new double[] {1.5, 3.5}, o.toDoubleArray(), 0);
        ref.reduce(ReduceOp.MAX, x, 0, o = outD(1, 2));
        assertArrayEquals(new double[] {3, 4}, o.toDoubleArray(), 0);
        Tensor am = outI(1);
        ref.argmax(d(new double[] {1, 3, 3, 2}, 4), 0, am);
        assertEquals(1, am.toIntArray()[0], "first of tied maxima");
    }

    @Test
    void topkTiesTakeTheLowerIndexFirst() {
        Tensor x = d(new double[] {1, 3, 3, 2, 3}, 1, 5);
        Tensor v = outD(1, 4);
        Tensor i = outI(1, 4);
        ref.topk(x, 4, v, i);
        assertArrayEquals(new double[] {3, 3, 3, 2}, v.toDoubleArray(), 0);
        assertArrayEquals(new int[] {1, 2, 4, 3}, i.toIntArray());
    }

    @Test
    void gatherScatterIndexSelectIndexAdd() {
        Tensor x = d(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor o = outD(2, 2);
        ref.gather(x, 1, Tensor.ofInts(new int[] {0, 0, 1, 0}, 2, 2), o);
        assertArrayEquals(new double[] {1, 1, 4, 3}, o.toDoubleArray(), 0);

        Tensor dst = outD(3);
        ref.scatterAdd(dst, 0, Tensor.ofInts(new int[] {0, 2, 0}, 3), d(new double[] {1, 2, 3}, 3));
        assertArrayEquals(new double[] {4, 0, 2}, dst.toDoubleArray(), 0);

        Tensor y = d(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor sel = outD(2, 2);
        Tensor idx = Tensor.ofInts(new int[] {2, 0}, 2);
        ref.indexSelect(y, 1, idx, sel);
        assertArrayEquals(new double[] {3, 1, 6, 4}, sel.toDoubleArray(), 0);
        Tensor back = outD(2, 3);
        ref.indexAdd(back, 1, Tensor.ofInts(new int[] {2, 2}, 2), d(new double[] {1, 10, 100, 1000}, 2, 2));
        assertArrayEquals(new double[] {0, 0, 11, 0, 0, 1100}, back.toDoubleArray(), 0);

        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> ref.indexSelect(y, 1, Tensor.ofInts(new int[] {3}, 1), outD(2, 1)));
        assertEquals("indexSelect: index 3 out of range [0, 3)", e.getMessage());
    }

    @Test
    void matmulWithBiasAndActivation() {
        Tensor a = d(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = d(new double[] {5, 6, 7, 8}, 2, 2);
        Tensor o = outD(2, 2);
        ref.matmul(a, b, null, Activation.NONE, o);
        assertArrayEquals(new double[] {19, 22, 43, 50}, o.toDoubleArray(), 0);
        ref.matmul(a, b, d(new double[] {1, -100}, 2), Activation.RELU, o);
        assertArrayEquals(new double[] {20, 0, 44, 0}, o.toDoubleArray(), 0);
        // A transposed operand is read through its strides: aᵀ @ b.
        ref.matmul(a.mT(), b, null, Activation.NONE, o);
        assertArrayEquals(new double[] {26, 30, 38, 44}, o.toDoubleArray(), 0);
    }

    @Test
    void copyConvertsByTruncationAndWhereSelects() {
        Tensor i = outI(3);
        ref.copy(d(new double[] {2.7, -2.7, 0.2}, 3), i);
        assertArrayEquals(new int[] {2, -2, 0}, i.toIntArray());
        Tensor o = outD(3);
        ref.where(Tensor.ofInts(new int[] {1, 0, 5}, 3), d(new double[] {1, 2, 3}, 3), d(new double[] {-1, -2, -3}, 3), o);
        assertArrayEquals(new double[] {1, -2, 3}, o.toDoubleArray(), 0);
        ref.binary(BinaryOp.LE, d(new double[] {1, 2, 3}, 3), d(new double[] {2, 2, 2}, 3), o);
        assertArrayEquals(new double[] {1, 1, 0}, o.toDoubleArray(), 0);
    }
}
