package org.sparsetuning.autograd.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Function;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

class GradCheckTest {
    private static Tensor randn(int... shape) {
        return Tensor.randn(new Generator(11), shape).to(DType.F64);
    }

    /** x² with a backward that forgets the factor 2 on one element. */
    private static final class BrokenSquare extends Function {
        private Tensor x;

        @Override
        protected Tensor forward(Tensor... in) {
            x = save(in[0]);
            return in[0].mul(in[0]);
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor d = g.mul(x).mul(2.0);
            d.set(d.get(1, 2) / 2, 1, 2);
            return new Tensor[] {d};
        }
    }

    @Test
    void findsAWrongGradientAndNamesTheElement() {
        GradCheck.Report r = GradCheck.defaults().check(v -> new BrokenSquare().apply(v[0]), randn(3, 4));
        assertFalse(r.passed());
        GradCheck.InputReport in = r.inputs().get(0);
        assertFalse(in.passed());
        assertArrayEquals(new int[] {1, 2}, in.worstIndex());
        assertEquals(in.worstNumeric() / 2, in.worstAnalytic(), 1e-6);
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
    }

    @Test
    void reportsEachInputSeparately() {
        Tensor[] in = {randn(2, 3), randn(2, 3), randn(2, 3)};
        boolean[] grads = {true, false, true};
        GradCheck.Report r = GradCheck.defaults().check(v -> v[0].mul(v[1]).add(v[2]), in, grads);
        assertTrue(r.passed(), r.toString());
        assertEquals(2, r.inputs().size());
        assertEquals(0, r.inputs().get(0).input());
        assertEquals(2, r.inputs().get(1).input());
    }

    @Test
    void flagsAnOutputThatLostDoublePrecision() {
        GradCheck.Report r = GradCheck.defaults().check(v -> Variable.constant(v[0].data().to(DType.F32)), randn(3));
        assertFalse(r.passed());
        assertTrue(r.problems().get(0).contains("F32"), r.toString());
    }

    @Test
    void missingGradientCountsAsZeroAndFails() {
        // detach() hides x from autograd, so the analytic gradient is zero while the numeric one is not.
        GradCheck.Report r = GradCheck.defaults().check(v -> v[0].detach().exp().add(v[1]), randn(3), randn(3));
        assertFalse(r.inputs().get(0).passed());
        assertTrue(r.inputs().get(1).passed());
    }

    @Test
    void keepsTheCallersLayoutAndLeavesItsTensorsAlone() {
        Tensor t = randn(4, 3).mT();
        double[] before = t.toDoubleArray();
        Tensor f64 = GradCheck.toDouble(t);
        assertArrayEquals(t.strides(), f64.strides());
        assertArrayEquals(before, f64.toDoubleArray());
        GradCheck.assertPasses(v -> v[0].exp(), t);
        assertArrayEquals(before, t.toDoubleArray());
        assertNotEquals(t.storage(), f64.storage());
    }
}
