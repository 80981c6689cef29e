package org.sparsetuning.opencl.aparapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.empty;
import static org.sparsetuning.opencl.aparapi.AparapiTestSupport.reference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.backend.UnaryOp;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.FloatStorage;

/** The tiled GEMM kernels (tile 16 and register-blocked tile 64, plain and transposed B) against the reference matmul. */
class GemmKernelTest {
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

    /**
     * Each element within 2·K·u·Σ_k |a_ik·b_kj| of the double-accumulated reference (u = 2⁻²⁴): the standard
     * bound for a float dot product of length K, so the tolerance follows the problem instead of a guess.
     */
    private static void assertGemmClose(Tensor a, Tensor b, Tensor got, String what) {
        int m = a.size(0);
        int n = b.size(1);
        int k = a.size(1);
        Tensor want = empty(m, n);
        reference().matmul(a, b, null, Activation.NONE, want);
        Tensor absA = empty(a.shape());
        Tensor absB = empty(b.shape());
        reference().unary(UnaryOp.ABS, a, absA);
        reference().unary(UnaryOp.ABS, b, absB);
        Tensor magnitude = empty(m, n);
        reference().matmul(absA, absB, null, Activation.NONE, magnitude);
        float[] w = want.toFloatArray();
        float[] g = got.toFloatArray();
        float[] mag = magnitude.toFloatArray();
        double u = Math.ulp(1.0f) / 2;
        for (int i = 0; i < w.length; i++) {
            double bound = 2 * k * u * mag[i] + 1e-30;
            if (!(Math.abs((double) g[i] - w[i]) <= bound)) {
                fail(what + ": c[" + i / n + "][" + i % n + "] = " + g[i] + ", expected " + w[i] + " ± " + bound);
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"1,1,1", "1,7,1", "7,1,33", "7,33,5", "16,16,16", "17,15,16", "33,257,17", "257,7,33", "64,64,64", "65,130,47"})
    void plainLayout(int m, int k, int n) {
        Generator g = new Generator(m * 1000 + k * 10 + n);
        Tensor a = Tensor.randn(g, m, k);
        Tensor b = Tensor.randn(g, k, n);
        assertGemmClose(a, b, ops.matmul(a, b), "a·b " + m + "x" + k + "x" + n);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @CsvSource({"1,1,1", "1,7,1", "7,2,33", "7,33,5", "17,15,16", "33,257,17", "257,7,33", "65,130,47"})
    void transposedWeightIsReadWithoutACopy(int m, int k, int n) {
        Generator g = new Generator(7 + m * 1000 + k * 10 + n);
        Tensor a = Tensor.randn(g, m, k);
        Tensor w = Tensor.randn(g, n, k);       // torch Linear layout [out, in]
        Tensor b = w.mT();
        if (n > 1 && k > 1) {
            assertFalse(b.isContiguous());
        }
        assertGemmClose(a, b, ops.matmul(a, b), "a·wᵀ " + m + "x" + k + "x" + n);
    }

    // Every kernel directly, both layouts, around the 16 and 64 block edges.
    @ParameterizedTest(name = "{0} transposed={1} {2}x{3}x{4}")
    @CsvSource({"TILE16,false,1,1,1", "TILE16,true,1,1,1", "TILE64,false,1,1,1", "TILE64,true,1,1,1",
        "TILE64,false,7,33,5", "TILE64,true,7,33,5", "TILE64,false,65,17,63", "TILE64,true,65,17,63",
        "TILE64,false,64,64,64", "TILE64,true,129,257,65", "TILE64,false,257,7,130", "TILE16,true,129,257,65", "TILE16,false,65,130,47"})
    void kernelsDirectly(GemmOp.Tiling tiling, boolean transposed, int m, int k, int n) {
        Generator g = new Generator(31 + m * 1000 + k * 10 + n);
        Tensor a = Tensor.randn(g, m, k);
        Tensor stored = transposed ? Tensor.randn(g, n, k) : Tensor.randn(g, k, n);
        Tensor b = transposed ? stored.mT() : stored;
        float[] c = new float[m * n];
        try (CheckedExecutor ex = new CheckedExecutor(AparapiTestSupport.device())) {
            GemmOp op = new GemmOp(ex, transposed, tiling);
            op.uploadA(a.toFloatArray(), 0, m, k);
            op.uploadB(stored.toFloatArray(), 0, k, n, null);
            op.run();
            op.download(c, 0);
        }
        assertGemmClose(a, b, Tensor.of(c, m, n), tiling + (transposed ? " a·wᵀ " : " a·b ") + m + "x" + k + "x" + n);
    }

    @Test
    void nonContiguousOperandsAreMadeContiguous() {
        Generator g = new Generator(99);
        Tensor a = Tensor.randn(g, 40, 33).mT();                    // [33, 40], column-major
        Tensor b = Tensor.randn(g, 45, 30).narrow(0, 3, 40).narrow(1, 2, 19);   // [40, 19] window
        Tensor wBig = Tensor.randn(g, 21, 50);
        Tensor bt = wBig.narrow(0, 1, 19).mT().narrow(0, 5, 40);     // a transposed view with offset and a row gap
        assertFalse(a.isContiguous());
        assertFalse(b.isContiguous());
        assertGemmClose(a, b, ops.matmul(a, b), "column-major a, windowed b");
        assertGemmClose(a, bt, ops.matmul(a, bt), "windowed transposed b");
    }

    @Test
    void frozenWeightStaysOnTheDeviceUntilItsFreezeEnds() {
        Generator g = new Generator(5);
        Tensor a = Tensor.randn(g, 9, 20);
        Tensor w = Tensor.randn(g, 20, 11);
        w.storage().setFrozen(true);
        Tensor first = ops.matmul(a, w);
        assertGemmClose(a, w, first, "frozen, first call");

        // Changed behind the freeze's back: the device copy is still the one uploaded, which proves reuse.
        float[] data = ((FloatStorage) w.storage()).array();
        Tensor before = w.copy();
        for (int i = 0; i < data.length; i++) {
            data[i] += 1f;
        }
        assertGemmClose(a, before, ops.matmul(a, w), "frozen weight reused from the device");

        // A new freeze (new epoch) uploads again.
        w.storage().setFrozen(false);
        w.storage().setFrozen(true);
        assertGemmClose(a, w, ops.matmul(a, w), "re-frozen weight uploaded again");
        w.storage().setFrozen(false);
        assertGemmClose(a, w, ops.matmul(a, w), "unfrozen weight uploaded on every call");
    }

    @Test
    void emptyAndMismatchedShapes() {
        Tensor out = ops.matmul(Tensor.zeros(3, 0), Tensor.zeros(0, 4));
        assertTrue(out.numel() == 12 && out.toFloatArray()[11] == 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ops.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 2)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 2]"), e.getMessage());
    }
}
