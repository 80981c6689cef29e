package org.sparsetuning.tensor.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.backend.Erf;

/** The vector polynomials against the double-precision formulas, on dense grids. */
class VMathTest {
    private interface VecFn {
        FloatVector apply(FloatVector v);
    }

    private interface Exact {
        double apply(double x);
    }

    /** Largest |approx − exact| / (absFloor + |exact|) over n points of [lo, hi]. */
    private static double maxError(VecFn f, Exact exact, double lo, double hi, int n, double absFloor) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (lo + (hi - lo) * i / (n - 1));
        }
        float[] y = new float[n];
        int l = VMath.L;
        for (int i = 0; i + l <= n; i += l) {
            f.apply(FloatVector.fromArray(VMath.S, x, i)).intoArray(y, i);
        }
        double worst = 0;
        for (int i = 0; i + l <= n; i++) {
            double e = exact.apply(x[i]);
            worst = Math.max(worst, Math.abs(y[i] - e) / (absFloor + Math.abs(e)));
        }
        return worst;
    }

    @Test
    void erfWithinTwoTenMillionthsAbsolute() {
        double err = maxError(VMath::erf, Erf::erf, -10, 10, 2_000_000 + 16, 1.0) ;
        // Bound on |approx − exact| / (1 + |exact|) ≥ half the absolute error since |erf| ≤ 1.
        assertTrue(err < 1.0e-7, "erf error " + err);
        double abs = maxError(VMath::erf, Erf::erf, -3, 3, 1_000_000, 1e30) * 1e30;
        assertTrue(abs < 2e-7, "erf absolute error " + abs);
    }

    @Test
    void expRelativeErrorOfAFewUlps() {
        double err = maxError(VMath::exp, Math::exp, -87, 88.7, 1_000_000, 0);
        assertTrue(err < 4e-7, "exp relative error " + err);
    }

    @Test
    void tanhAndSigmoid() {
        double tanh = maxError(VMath::tanh, Math::tanh, -12, 12, 1_000_000, 1e-30);
        assertTrue(tanh < 5e-7, "tanh relative error " + tanh);
        double sig = maxError(VMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80, 80, 1_000_000, 1e-30);
        assertTrue(sig < 5e-7, "sigmoid relative error " + sig);
    }

    @Test
    void geluMatchesTheExactErfForm() {
        double err = maxError(VMath::gelu, x -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2))), -10, 10, 1_000_000, 1.0);
        // Worst near x = −5.5, where Φ(x) = (1 + erf)/2 is a difference of two floats near 1: float's
        // resolution there (6e-8) times |x| bounds the absolute error, measured 2.3e-7.
        assertTrue(err < 3e-7, "gelu error " + err);
    }

    /** GELU'(x) through the array-level backward with an upstream gradient of 1. */
    private static FloatVector geluDerivative(FloatVector x) {
        float[] xs = x.toArray();
        float[] ones = new float[VMath.L];
        java.util.Arrays.fill(ones, 1f);
        float[] y = new float[VMath.L];
        VMath.geluBackward(xs, 0, 1, ones, 0, 1, y, 0, VMath.L);
        return FloatVector.fromArray(VMath.S, y, 0);
    }

    @Test
    void geluDerivativeMatchesErfAndExpForm() {
        double err = maxError(VMathTest::geluDerivative,
                x -> 0.5 * (1 + Erf.erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI), -12, 12, 1_000_000, 1e30) * 1e30;
        assertTrue(err < 2.5e-7, "gelu derivative absolute error " + err);
    }
}
