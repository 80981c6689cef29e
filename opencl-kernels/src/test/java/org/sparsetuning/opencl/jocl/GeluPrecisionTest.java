package org.sparsetuning.opencl.jocl;

import static org.sparsetuning.opencl.jocl.ClTensors.assertClose;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.BinaryOp;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.device.Device;

/**
 * The kernels' erfc is a polynomial fit (common.h), not the library's: GELU and its gradient on a dense grid
 * over [−12, 12] (every 0.001, through the tail where 1 + erf cancels) against the reference's double-precision
 * erf, with the conformance suite's tolerances.
 */
class GeluPrecisionTest {
    private Device dev;

    @BeforeEach
    void device() {
        dev = ClTestDevice.require();
    }

    @Test
    void geluAndItsGradientOnADenseGrid() {
        int n = 24001;
        float[] v = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - 12000) * 0.001f;
            g[i] = 1f - (i % 7) * 0.3f;
        }
        Tensor x = Tensor.of(v, n);
        Tensor up = Tensor.of(g, n);
        Tensor expected = Ops.empty(DType.F32, new int[] {n}, Backends.reference());
        Backends.reference().unary(UnaryOp.GELU, x, expected);
        Tensor actual = Tensor.zeros(dev, DType.F32, n);
        dev.backend().unary(UnaryOp.GELU, x.to(dev), actual);
        assertClose(expected, actual, 2e-6, 1e-6, "GELU on [-12, 12]");

        Backends.reference().binary(BinaryOp.GELU_BACKWARD, x, up, expected);
        dev.backend().binary(BinaryOp.GELU_BACKWARD, x.to(dev), up.to(dev), actual);
        assertClose(expected, actual, 1e-5, 1e-6, "GELU backward on [-12, 12]");
    }
}
