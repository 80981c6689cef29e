package org.sparsetuning.tensor.cpu.simd.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;
import org.sparsetuning.tensor.cpu.ref.ReferenceBackend;
import org.sparsetuning.tensor.parallel.Parallel;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.tensor.storage.FloatStorage;

/** The SIMD GEMM against the scalar reference backend (double accumulation) on random data. */
class GemmTest {
    private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 47, 48, 49, 64, 100, 197};
    private static final int DEFAULT_THREADS = Parallel.threads();
    private final Generator gen = new Generator(20240517L);

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(DEFAULT_THREADS);
    }

    /** An [rows, cols] matrix of normals, stored row-major, or column-major and viewed through mT(). */
    private Tensor matrix(int rows, int cols, boolean colMajor) {
        if (colMajor) {
            Tensor t = Tensor.of(gen.normal(rows * cols), cols, rows).mT();
            assertEquals(1, t.stride(0));
            return t;
        }
        return Tensor.of(gen.normal(rows * cols), rows, cols);
    }

    private static Tensor reference(Tensor a, Tensor b, Tensor bias, Activation act, int[] outShape) {
        Tensor out = Tensor.zeros(outShape);
        new ReferenceBackend().matmul(a, b, bias, act, out);
        return out;
    }

    private static Tensor gemm(Tensor a, Tensor b, Tensor bias, Activation act, int[] outShape) {
        Tensor out = Tensor.zeros(outShape);
        Gemm.matmul(a, b, bias, act, out);
        return out;
    }

    /** Float accumulation differs from the reference's double sum by rounding that grows like sqrt(K). */
    private static void assertClose(Tensor expected, Tensor actual, int k, String what) {
        float[] e = expected.toFloatArray();
        float[] g = actual.toFloatArray();
        assertEquals(e.length, g.length, what);
        double scale = 1e-5 * Math.sqrt(Math.max(k, 1));
        for (int i = 0; i < e.length; i++) {
            double tol = scale * (1 + Math.abs(e[i]));
            if (!(Math.abs(e[i] - g[i]) <= tol)) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + g[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private void check(Tensor a, Tensor b, Tensor bias, Activation act, String what) {
        int r = a.dim();
        int[] shape = a.shape();
        shape[r - 1] = b.size(r - 1);
        assertClose(reference(a, b, bias, act, shape), gemm(a, b, bias, act, shape), a.size(r - 1), what);
    }

    static Stream<int[]> shapes() {
        // Every (M, N) pair of the edge-prone sizes, K cycling through them too: 196 products, each layout
        // combination of a and b used for a quarter of them.
        List<int[]> out = new ArrayList<>();
        int i = 0;
        for (int m : SIZES) {
            for (int n : SIZES) {
                out.add(new int[] {m, n, SIZES[(i * 5 + 3) % SIZES.length], i % 4});
                i++;
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void matchesReferenceOnEdgeSizesAndLayouts(int[] s) {
        int m = s[0];
        int n = s[1];
        int k = s[2];
        boolean aCol = (s[3] & 1) != 0;
        boolean bCol = (s[3] & 2) != 0;
        check(matrix(m, k, aCol), matrix(k, n, bCol), null, Activation.NONE,
                m + "x" + k + " @ " + k + "x" + n + " aCol=" + aCol + " bCol=" + bCol);
    }

    @Test
    void everyKAgainstEveryLayoutOnAnEdgeShape() {
        for (int k : SIZES) {
            for (int layout = 0; layout < 4; layout++) {
                check(matrix(33, k, (layout & 1) != 0), matrix(k, 49, (layout & 2) != 0), null, Activation.NONE,
                        "33x" + k + " @ " + k + "x49 layout " + layout);
            }
        }
    }

    @Test
    void severalCacheBlocksOfRowsAndDepthOnOneThreadAndThree() {
        // K = 520 spans three K blocks (accumulation into C between them), M = 264 two row blocks on one
        // thread; N = 200 makes five panels, so A is packed.
        Tensor a = matrix(264, 520, false);
        Tensor b = matrix(520, 200, true);
        Tensor bias = Tensor.of(gen.normal(200), 200);
        for (int threads : new int[] {1, 3}) {
            Parallel.setThreads(threads);
            check(a, b, bias, Activation.GELU, "264x520 @ 520x200 on " + threads + " threads");
        }
        // N = 64 is two panels: A is read in place (here column-major), across three K blocks.
        check(matrix(43, 600, true), matrix(600, 64, false), bias.narrow(0, 7, 64), Activation.RELU,
                "43x600 @ 600x64, A in place");
    }

    @Test
    void fewRowsSplitAcrossPanelsOnTwoThreads() {
        Parallel.setThreads(2);
        check(matrix(5, 256, false), matrix(256, 500, false), null, Activation.NONE, "5x256 @ 256x500");
        check(matrix(40, 256, true), matrix(256, 500, true), null, Activation.RELU, "40x256 @ 256x500");
    }

    @Test
    void aChangingWeightPackedAsUsedAcrossRowAndDepthBlocks() {
        // M = 300 is two row blocks and K = 777 three K blocks; N = 500 eleven panels: B is packed one K block of
        // one panel at a time inside the tasks, on one thread and split across panels on two and three.
        Tensor bias = Tensor.of(gen.normal(500), 500);
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            assertTrue(Gemm.packAsUsed(300, 500, threads));
            for (int layout = 0; layout < 4; layout++) {
                check(matrix(300, 777, (layout & 1) != 0), matrix(777, 500, (layout & 2) != 0), bias, Activation.GELU,
                        "300x777 @ 777x500 layout " + layout + " on " + threads + " threads");
            }
        }
        Tensor strided = Tensor.of(gen.normal(70 * 300 * 3), 70, 300, 3).select(2, 1);
        check(matrix(197, 70, false), strided, null, Activation.NONE, "197x70 @ strided 70x300");
        // Too few panels for the threads, or too many rows: B is packed up front as before.
        assertFalse(Gemm.packAsUsed(197, 32, 2));
        assertFalse(Gemm.packAsUsed(1576, 768, 2));
    }

    @Test
    void narrowedInputsWithALeadingStrideLargerThanTheRow() {
        Tensor bigA = Tensor.of(gen.normal(60 * 90), 60, 90);
        Tensor bigB = Tensor.of(gen.normal(80 * 70), 80, 70);
        Tensor a = bigA.narrow(0, 3, 49).narrow(1, 5, 77);
        Tensor b = bigB.narrow(0, 2, 77).narrow(1, 1, 65);
        check(a, b, null, Activation.NONE, "narrowed row-major");
        // Narrowed column-major: slices of transposed storage.
        Tensor at = bigA.mT().narrow(0, 4, 50).narrow(1, 7, 31);
        Tensor bt = bigB.mT().narrow(0, 6, 31).narrow(1, 9, 47);
        check(at, bt, null, Activation.NONE, "narrowed column-major");
    }

    @Test
    void operandsWithNoUnitStrideArePackedGenerically() {
        // Gemm itself accepts any strides (Ops copies such operands first; the SIMD backend may not).
        Tensor a = Tensor.of(gen.normal(37 * 70 * 2), 37, 70, 2).select(2, 1);
        Tensor b = Tensor.of(gen.normal(70 * 53 * 3), 70, 53, 3).select(2, 2);
        assertTrue(a.stride(0) != 1 && a.stride(1) != 1 && b.stride(0) != 1 && b.stride(1) != 1);
        check(a, b, null, Activation.NONE, "strided a and b");
        check(matrix(37, 70, false), b, null, Activation.NONE, "strided b");
        check(a, matrix(70, 300, false), null, Activation.NONE, "strided a, many panels");
    }

    @Test
    void batchedWithStrideZeroOperands() {
        // Shared weight expanded over the batch (stride 0): packed once for all products.
        Tensor a = Tensor.of(gen.normal(3 * 31 * 47), 3, 31, 47);
        Tensor w = matrix(47, 65, true);
        check(a, w.expand(3, 47, 65), null, Activation.NONE, "batched a, expanded b");
        // Expanded a, distinct b per batch.
        Tensor b = Tensor.of(gen.normal(3 * 47 * 17), 3, 47, 17);
        check(matrix(15, 47, false).expand(3, 15, 47), b, null, Activation.NONE, "expanded a, batched b");
        // Two batch dimensions, stride 0 in the inner one.
        Tensor a4 = Tensor.of(gen.normal(2 * 16 * 33), 2, 1, 16, 33).expand(2, 3, 16, 33);
        Tensor b4 = Tensor.of(gen.normal(2 * 3 * 33 * 49), 2, 3, 33, 49);
        check(a4, b4, null, Activation.NONE, "4-d batch with an expanded inner dimension");
    }

    @Test
    void attentionShapedBatchesOnTwoThreads() {
        Parallel.setThreads(2);
        int heads = 3;
        Tensor q = Tensor.of(gen.normal(heads * 197 * 64), heads, 197, 64);
        Tensor kT = Tensor.of(gen.normal(heads * 197 * 64), heads, 197, 64).mT();
        check(q, kT, null, Activation.NONE, "q @ k^T");
        Tensor attn = Tensor.of(gen.uniform(heads * 197 * 197), heads, 197, 197);
        Tensor v = Tensor.of(gen.normal(heads * 197 * 64), heads, 197, 64);
        check(attn, v, null, Activation.NONE, "attn @ v");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void biasAndActivationEpilogue(Activation act) {
        for (int[] s : new int[][] {{33, 100, 64}, {197, 49, 17}, {8, 48, 31}, {1, 7, 2}}) {
            Tensor a = Tensor.of(gen.normal(s[0] * s[2], 0, 2), s[0], s[2]);
            Tensor b = matrix(s[2], s[1], s[0] % 2 == 0);
            // A strided bias (a column of a [N, 2] matrix).
            Tensor bias = Tensor.of(gen.normal(s[1] * 2), s[1], 2).select(1, 0);
            check(a, b, bias, act, act + " with bias " + s[0] + "x" + s[2] + "x" + s[1]);
            check(a, b, null, act, act + " without bias " + s[0] + "x" + s[2] + "x" + s[1]);
        }
    }

    @Test
    void geluMatchesTheErfFormulaAcrossItsRange() {
        for (float x = -12f; x <= 12f; x += 0.01f) {
            double exact = 0.5 * x * (1 + org.sparsetuning.tensor.backend.Erf.erf(x / Math.sqrt(2)));
            assertTrue(Math.abs(Gelu.apply(x) - exact) <= 1e-6 * (1 + Math.abs(exact)), "gelu(" + x + ")");
        }
    }

    @Test
    void panelPlanCoversEveryColumnWithLittlePadding() {
        int v = MicroKernel8x1v.NR;
        for (int n = 1; n <= 400; n++) {
            int[] widths = PackedB.plan(n);
            int total = 0;
            for (int w : widths) {
                assertTrue(w == v || w == 2 * v || w == 3 * v, "width " + w);
                assertTrue(w != v || n <= v, "a one-vector panel only when N fits one vector, N = " + n);
                total += w;
            }
            assertTrue(total >= n && total - n < v, "N = " + n + " packed into " + total + " columns");
        }
    }

    @Test
    void emptyDepthGivesTheActivatedBias() {
        Tensor a = Tensor.zeros(4, 0);
        Tensor b = Tensor.zeros(0, 5);
        Tensor bias = Tensor.of(new float[] {-1, 0, 1, 2, -3}, 5);
        check(a, b, bias, Activation.RELU, "K = 0");
    }

    private static PackedWeight arrangement(Tensor w) {
        FloatStorage.Arrangement a = ((FloatStorage) w.storage()).arrangement();
        return a instanceof PackedWeight pw ? pw : null;
    }

    /** Bit-for-bit equality: the packed weight must give exactly what packing per call gives. */
    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] g = actual.toFloatArray();
        assertEquals(e.length, g.length, what);
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(g[i])) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + g[i]);
            }
        }
    }

    /**
     * A frozen [out, in] weight used as x·Wᵀ (forward) and g·W (backward), with odd sizes that leave padded
     * panels, on one thread and two, batched with a stride-0 weight too: the panels replace the storage's array,
     * both products give the same bits as with the weight unfrozen, the padding is counted as a cache, and a
     * plain read unpacks the exact original values.
     */
    @Test
    void frozenWeightPanelsReplaceItsArrayAndServeBothDirections() {
        int[][] shapes = {{130, 100}, {37, 61}, {48, 16}, {1, 9}, {5, 1}};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int[] sh : shapes) {
                int out = sh[0];
                int in = sh[1];
                String what = out + "x" + in + " on " + threads + " thread(s)";
                float[] values = gen.normal(out * in);
                Tensor w = Tensor.of(values.clone(), out, in);
                Tensor x = matrix(53, in, false);
                Tensor g = Tensor.of(gen.normal(2 * 29 * out), 2, 29, out);
                Tensor wBatched = w.unsqueeze(0).expand(2, out, in);
                Tensor fwdPlain = gemm(x, w.mT(), null, Activation.NONE, new int[] {53, out});
                Tensor bwdPlain = gemm(g, wBatched, null, Activation.NONE, new int[] {2, 29, in});

                w.storage().setFrozen(true);
                assertSameBits(fwdPlain, gemm(x, w.mT(), null, Activation.NONE, new int[] {53, out}), what + " forward");
                PackedWeight pw = arrangement(w);
                assertNotNull(pw, what + ": the panels replace the array");
                long padding = 4L * (pw.floats() - (long) out * in);
                assertSameBits(bwdPlain, gemm(g, wBatched, null, Activation.NONE, new int[] {2, 29, in}),
                        what + " backward from the panels");
                assertSame(pw, arrangement(w), what + ": the transposed product keeps the panels");
                assertSameBits(fwdPlain, gemm(x, w.mT(), null, Activation.NONE, new int[] {53, out}), what + " again");

                // Worker threads may grow their GEMM scratch at any product, so the padding is checked around the
                // unpacking, which runs no GEMM.
                long cachedPacked = Gemm.cachedBytes();
                assertArrayEquals(values, w.toFloatArray(), what + ": a plain read unpacks the original values");
                assertNull(arrangement(w), what + ": and the storage holds the array again");
                assertEquals(cachedPacked - padding, Gemm.cachedBytes(), what + ": the padding was counted until now");
                w.storage().setFrozen(false);
            }
        }
    }

    @Test
    void aFrozenWeightsTransposeIsPackedAsUsed() {
        // W [1300, 777]: backward's g·W has K = 1300 in two blocks of 650, which cut through the 48-wide panels
        // the forward packed; its blocks are repacked as used, inside the tasks, with few rows of g (197, one
        // image) and with many (1100, which the plain path packs whole).
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int rows : new int[] {197, 1100}) {
                String what = "g·W from frozen panels, " + rows + " rows on " + threads + " thread(s)";
                Tensor w = Tensor.of(gen.normal(1300 * 777), 1300, 777);
                Tensor g = matrix(rows, 1300, false);
                Tensor plain = gemm(g, w, null, Activation.NONE, new int[] {rows, 777});
                assertClose(reference(g, w, null, Activation.NONE, new int[] {rows, 777}), plain, 1300, what + " vs reference");
                w.storage().setFrozen(true);
                gemm(matrix(3, 777, false), w.mT(), null, Activation.NONE, new int[] {3, 1300});
                assertNotNull(arrangement(w), what + ": the forward packed the panels");
                Tensor frozen = gemm(g, w, null, Activation.NONE, new int[] {rows, 777});
                assertNotNull(arrangement(w), what + ": the transposed product kept the panels");
                assertSameBits(plain, frozen, what);   // the same K blocks in the same order as from the plain array
                w.storage().setFrozen(false);
            }
        }
    }

    @Test
    void refrozenWeightWithNewValuesIsRepacked() {
        Tensor w = matrix(70, 40, false);
        Tensor x = matrix(33, 40, false);
        w.storage().setFrozen(true);
        check(x, w.mT(), null, Activation.NONE, "frozen");
        assertNotNull(arrangement(w));
        w.storage().setFrozen(false);
        w.copyFrom(matrix(70, 40, false)); // unpacks, then writes
        assertNull(arrangement(w));
        w.storage().setFrozen(true);
        check(x, w.mT(), null, Activation.NONE, "refrozen with new values");
        w.storage().setFrozen(false);
    }

    @Test
    void partsOfOneFrozenStorageArePackedPerCallWithoutCopies() {
        Tensor both = Tensor.of(gen.normal(2 * 64 * 80), 2, 64, 80);
        both.storage().setFrozen(true);
        long cachedBefore = Gemm.cachedBytes();
        Tensor a = matrix(20, 64, false);
        check(a, both.select(0, 0), null, Activation.NONE, "first weight");
        check(a, both.select(0, 1), null, Activation.NONE, "second weight");
        check(a, both.select(0, 0).narrow(1, 16, 48), null, Activation.NONE, "narrowed first weight");
        assertNull(arrangement(both), "a part cannot replace the whole storage");
        assertTrue(Gemm.cachedBytes() - cachedBefore < 4L * 2 * 64 * 80, "no copy of the storage is kept");
        both.storage().setFrozen(false);
    }

    @Test
    void rejectsWhatItCannotCompute() {
        Tensor a = matrix(4, 5, false);
        Tensor b = matrix(5, 6, false);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(a.to(DType.F64), b, null, Activation.NONE, Tensor.zeros(4, 6)));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(a, b, null, Activation.NONE, Tensor.zeros(4, 7)));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(a, b, null, Activation.NONE, Tensor.zeros(6, 4).mT()));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.matmul(a, b, Tensor.zeros(5), Activation.NONE, Tensor.zeros(4, 6)));
    }
}
