package org.sparsetuning.tensor.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.Backends;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Backend;
import org.sparsetuning.tensor.random.Generator;

class ArrayPoolTest {
    private static final int N = ArrayPool.MIN_FLOATS + 3; // odd, just above the pooled minimum
    private long limitBefore;

    @BeforeEach
    void empty() {
        limitBefore = ArrayPool.limit();
        ArrayPool.setLimit(64L << 20);
        ArrayPool.clear();
    }

    @AfterEach
    void restore() {
        ArrayPool.clear();
        ArrayPool.setLimit(limitBefore);
    }

    private static FloatStorage dirty(int length) {
        FloatStorage s = new FloatStorage(length);
        Arrays.fill(s.array(), 7.5f);
        return s;
    }

    @Test
    void aReleasedArrayServesTheNextStorageOfItsLengthZeroed() {
        FloatStorage first = dirty(N);
        float[] array = first.array();
        long cached = MemoryTracker.cachedBytes();
        first.release();
        assertEquals(cached + 4L * N, MemoryTracker.cachedBytes(), "a pooled array counts as cached bytes");
        assertEquals(4L * N, ArrayPool.pooledBytes());

        FloatStorage second = new FloatStorage(N);
        assertSame(array, second.array(), "same length: the released array is reused");
        for (float v : second.array()) {
            assertEquals(0f, v, "a reused array is handed out zeroed");
        }
        assertEquals(cached, MemoryTracker.cachedBytes(), "taken out of the pool, no longer cached");
        assertThrows(IllegalStateException.class, first::array, "the released storage stays unusable");
        second.release();
    }

    @Test
    void otherLengthsSmallArraysAndWrappedArraysAreNotPooled() {
        FloatStorage a = dirty(N);
        float[] array = a.array();
        a.release();
        assertNotSame(array, new FloatStorage(N + 1).array(), "another length gets a fresh array");

        float[] small = dirty(ArrayPool.MIN_FLOATS - 1).array();
        FloatStorage s = new FloatStorage(ArrayPool.MIN_FLOATS - 1);
        float[] smallArray = s.array();
        s.release();
        assertEquals(4L * N, ArrayPool.pooledBytes(), "arrays below the minimum are left to the collector");
        assertNotSame(smallArray, small);

        float[] mine = new float[N];
        FloatStorage wrapped = new FloatStorage(mine);
        ArrayPool.clear();
        wrapped.release();
        assertEquals(0, ArrayPool.pooledBytes(), "an array the caller wrapped may still be the caller's");
    }

    @Test
    void theLimitDropsTheLongestUnusedArraysFirst() {
        ArrayPool.setLimit(4L * (3 * N + 1));
        FloatStorage[] s = {dirty(N), dirty(N + 2), dirty(N + 4), dirty(N + 6)};
        float[] second = s[1].array();
        for (FloatStorage x : s) {
            x.release();
        }
        assertEquals(4L * (N + 4 + N + 6), ArrayPool.pooledBytes(), "the two oldest were dropped to fit the limit");
        assertNotSame(second, new FloatStorage(N + 2).array());
        ArrayPool.setLimit(4L * N - 1);
        assertEquals(0, ArrayPool.pooledBytes(), "a lower limit drops what no longer fits");
        FloatStorage big = dirty(N);
        big.release();
        assertEquals(0, ArrayPool.pooledBytes(), "an array beyond the limit is never kept");
    }

    @Test
    void clearingGivesEverythingBackAndCountsItAsUncached() {
        long cached = MemoryTracker.cachedBytes();
        FloatStorage[] live = {dirty(N), dirty(N), dirty(2 * N)};
        for (FloatStorage s : live) {
            s.release();
        }
        assertEquals(4L * (N + N + 2 * N), ArrayPool.pooledBytes());
        long hitsBefore = ArrayPool.hits();
        assertEquals(4L * 4 * N, ArrayPool.clear());
        assertEquals(0, ArrayPool.pooledBytes());
        assertEquals(cached, MemoryTracker.cachedBytes());
        new FloatStorage(N).release();
        assertEquals(hitsBefore, ArrayPool.hits(), "nothing left to reuse after a clear");
    }

    @Test
    void tensorsFromReusedArraysComputeTheSameBits() {
        Tensor a = Tensor.of(new float[N], N);
        for (int i = 0; i < N; i++) {
            a.storage().setDouble(i, Math.sin(i));
        }
        float[] first;
        try (TensorScope scope = TensorScope.open()) {
            first = a.mul(a).add(a).toFloatArray();
        }
        assertTrue(ArrayPool.pooledBytes() > 0, "the scope's temporaries went to the pool");
        long hits = ArrayPool.hits();
        float[] again;
        try (TensorScope scope = TensorScope.open()) {
            again = a.mul(a).add(a).toFloatArray();
        }
        assertTrue(ArrayPool.hits() > hits, "the second pass reused them");
        assertEquals(Arrays.toString(first), Arrays.toString(again),
                "same bits, and the array toFloatArray returned was not reused by the second pass");
        for (int i = 0; i < N; i += 997) {
            double x = (float) Math.sin(i);
            assertEquals((float) ((float) (x * x) + x), first[i], "element " + i);
        }
    }

    /** Puts an array of the given length holding NaN into the pool, as a released storage would. */
    private static void poolNaNs(int length) {
        FloatStorage s = new FloatStorage(length);
        Arrays.fill(s.array(), Float.NaN);
        s.release();
    }

    @Test
    void outputsThatKernelsWriteWholeReuseAnArrayUnclearedAndStillHoldOnlyTheResult() {
        Tensor a = Tensor.of(new float[N], N);
        Tensor b = Tensor.of(new float[N], N);
        for (int i = 0; i < N; i++) {
            a.storage().setDouble(i, Math.sin(i));
            b.storage().setDouble(i, Math.cos(i));
        }
        poolNaNs(N);
        long hits = ArrayPool.hits();
        float[] sum = a.add(b).toFloatArray();
        assertEquals(hits + 1, ArrayPool.hits(), "the add's output came from the pool");
        poolNaNs(N);
        float[] neg = a.neg().toFloatArray();
        // A product whose output (129 x 131) is pooled, with a column tail and a partial row tile.
        int m = 129;
        int k = 37;
        int n = 131;
        Tensor x = Tensor.randn(new Generator(5), m, k);
        Tensor w = Tensor.randn(new Generator(6), k, n);
        poolNaNs(m * n);
        hits = ArrayPool.hits();
        float[] prod = x.matmul(w).toFloatArray();
        assertEquals(hits + 1, ArrayPool.hits(), "the product's output came from the pool");
        for (int i = 0; i < N; i++) {
            assertEquals((float) Math.sin(i) + (float) Math.cos(i), sum[i], "sum element " + i);
            assertEquals(-(float) Math.sin(i), neg[i], "neg element " + i);
        }
        float[] xf = x.toFloatArray();
        float[] wf = w.toFloatArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int p = 0; p < k; p++) {
                    ref += (double) xf[i * k + p] * wf[p * n + j];
                }
                assertEquals(ref, prod[i * n + j], 1e-4, "product element (" + i + ", " + j + ")");
            }
        }
    }

    /**
     * The op's result with an empty pool, then again with a NaN-filled array of the output's length waiting in
     * the pool: the second call must take that array and still give the same bits.
     */
    private static void assertUnaffectedByAPoisonedPool(String what, int outputLength, Supplier<Tensor> op) {
        ArrayPool.clear();
        float[] clean = op.get().toFloatArray();
        assertEquals(outputLength, clean.length, what + ": output length");
        ArrayPool.clear();
        poolNaNs(outputLength);
        long hits = ArrayPool.hits();
        float[] again = op.get().toFloatArray();
        assertTrue(ArrayPool.hits() > hits, what + ": the output came from the pool");
        assertEquals(Arrays.toString(clean), Arrays.toString(again), what + ": same bits");
    }

    @Test
    void everyOutputTakenForOverwriteIsWrittenWhole() {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 130, 131);
        assertUnaffectedByAPoisonedPool("softmax", 130 * 131, x::softmax);
        assertUnaffectedByAPoisonedPool("contiguous copy of a transpose", 130 * 131, () -> x.mT().contiguous());
        Tensor a = Tensor.randn(g, 100, 90);
        Tensor b = Tensor.randn(g, 101, 90);
        assertUnaffectedByAPoisonedPool("concat", 201 * 90, () -> Ops.concat(new Tensor[] {a, b}, 0));
        int[] rows = new int[201];
        int[][] cols = new int[201][90];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (i * 37) % 100;
            for (int j = 0; j < 90; j++) {
                cols[i][j] = (i + j * 7) % 90;
            }
        }
        Tensor rowIndex = Tensor.ofInts(rows, rows.length);
        assertUnaffectedByAPoisonedPool("indexSelect", 201 * 90, () -> a.indexSelect(0, rowIndex));
        int[] flat = new int[201 * 90];
        for (int i = 0; i < 201; i++) {
            System.arraycopy(cols[i], 0, flat, i * 90, 90);
        }
        Tensor colIndex = Tensor.ofInts(flat, 201, 90);
        Tensor wide = Tensor.randn(g, 201, 90);
        assertUnaffectedByAPoisonedPool("gather", 201 * 90, () -> wide.gather(1, colIndex));
        // Layer norm over 131 channels, forward and the input gradient of backward.
        Tensor w = Tensor.randn(g, 131);
        Tensor bias = Tensor.randn(g, 131);
        Tensor mean = Tensor.zeros(130);
        Tensor rstd = Tensor.zeros(130);
        Backend be = Backends.of(x);
        assertUnaffectedByAPoisonedPool("layerNorm", 130 * 131, () -> {
            Tensor out = Ops.emptyForOverwrite(x.dtype(), x.shape(), be);
            Ops.layerNorm(x, w, bias, 1e-6, out, mean, rstd);
            return out;
        });
        Tensor dy = Tensor.randn(g, 130, 131);
        assertUnaffectedByAPoisonedPool("layerNormBackward", 130 * 131, () -> {
            Tensor dx = Ops.emptyForOverwrite(x.dtype(), x.shape(), be);
            be.layerNormBackward(dy, x, w, mean, rstd, dx, null, null);
            return dx;
        });
        assertUnaffectedByAPoisonedPool("softmaxBackward", 130 * 131, () -> {
            Tensor y = x.softmax();
            Tensor dx = Ops.emptyForOverwrite(x.dtype(), x.shape(), be);
            be.softmaxBackward(y, dy, false, dx);
            return dx;
        });
        // Attention with 2 heads of 64 over 64 tokens, batch 2: out 2·64·128 and dQkv 2·64·384 floats, both pooled.
        Tensor qkv = Tensor.randn(g, 2, 64, 384);
        Tensor dOut = Tensor.randn(g, 2, 64, 128);
        assertUnaffectedByAPoisonedPool("selfAttention", 2 * 64 * 128,
                () -> Ops.selfAttention(qkv, 2, 0.125));
        assertUnaffectedByAPoisonedPool("selfAttentionBackward", 2 * 64 * 384,
                () -> Ops.selfAttentionBackward(qkv, dOut, 2, 0.125));
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ArrayPool.setLimit(-1));
    }
}
