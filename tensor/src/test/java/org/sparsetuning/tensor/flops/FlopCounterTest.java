package org.sparsetuning.tensor.flops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Ops;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.backend.Activation;

class FlopCounterTest {

    private static void layerNorm(Tensor x, boolean affine) {
        int c = x.size(-1);
        int rows = x.numel() / c;
        Ops.layerNorm(x, affine ? Tensor.ones(c) : null, affine ? Tensor.zeros(c) : null, 1e-6,
                Tensor.zeros(x.shape()), Tensor.zeros(rows), Tensor.zeros(rows));
    }

    @Test
    void matrixProductsCountOneFlopPerMultiplyAddAndNothingForTheBias() {
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(5, 7).matmul(Tensor.ones(7, 3));
            assertEquals(5 * 7 * 3, c.count(FlopKind.MATMUL));
            Ops.matmul(Tensor.ones(5, 7), Tensor.ones(7, 3), Tensor.ones(3), Activation.GELU);
            assertEquals(2 * 5 * 7 * 3, c.count(FlopKind.MATMUL));
            assertEquals(2 * 5 * 7 * 3, c.fvcoreTotal());
        }
    }

    @Test
    void nothingCountsInsideUncountedAndCountingResumesAfter() {
        try (FlopCounter c = FlopCounter.open()) {
            FlopCounter.product(10);
            try (FlopCounter.Scope s = FlopCounter.uncounted()) {
                FlopCounter.product(5);
                try (FlopCounter.Scope r = FlopCounter.region("inner")) {
                    FlopCounter.layerNorm(4, true);
                }
                FlopCounter.product(5);   // the region's close restored the suspension, not counting
            }
            FlopCounter.product(1);
            assertEquals(11, c.count(FlopKind.MATMUL));
            assertEquals(0, c.count(FlopKind.LAYER_NORM));
        }
    }

    @Test
    void selfAttentionCountsItsTwoProductsOnceOnEveryBackend() {
        // 2 x B·N²·C multiply-adds (q·kᵀ and P·v), whether the backend fuses them or composes them of products.
        Tensor qkv = Tensor.ones(2, 5, 3 * 8);
        try (FlopCounter c = FlopCounter.open()) {
            Ops.selfAttention(qkv, 2, 0.5);
            assertEquals(2L * 2 * 5 * 5 * 8, c.count(FlopKind.MATMUL));
        }
        try (FlopCounter c = FlopCounter.open()) {
            Ops.selfAttention(qkv.to(DType.F64), 2, 0.5);   // composed by the reference kernels
            assertEquals(2L * 2 * 5 * 5 * 8, c.count(FlopKind.MATMUL));
        }
    }

    @Test
    void batchedProductsCountEveryBroadcastBatch() {
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(2, 3, 4, 5).matmul(Tensor.ones(5, 6));               // merged rows: 24 x 5 x 6
            assertEquals(2 * 3 * 4 * 5 * 6, c.count(FlopKind.MATMUL));
        }
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(2, 1, 4, 5).matmul(Tensor.ones(3, 5, 6));            // batch broadcast to [2, 3]
            assertEquals(2 * 3 * 4 * 5 * 6, c.count(FlopKind.MATMUL));
        }
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(2, 4, 5).mT().matmul(Tensor.ones(2, 4, 6));           // strided view: [2] x 5 x 4 x 6
            assertEquals(2 * 5 * 4 * 6, c.count(FlopKind.MATMUL));
        }
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(5).matmul(Tensor.ones(5, 6));                        // vector @ matrix
            Tensor.ones(4, 5).matmul(Tensor.ones(5));                        // matrix @ vector
            Tensor.ones(5).matmul(Tensor.ones(5));                           // dot
            assertEquals(5 * 6 + 4 * 5 + 5, c.count(FlopKind.MATMUL));
        }
    }

    @Test
    void layerNormCountsFivePerElementWithAffineFourWithout() {
        try (FlopCounter c = FlopCounter.open()) {
            layerNorm(Tensor.ones(3, 7, 10), true);
            assertEquals(5 * 3 * 7 * 10, c.count(FlopKind.LAYER_NORM));
            layerNorm(Tensor.ones(4, 10), false);
            assertEquals(5 * 210 + 4 * 40, c.count(FlopKind.LAYER_NORM));
            assertEquals(0, c.count(FlopKind.MATMUL));
            assertEquals(5 * 210 + 4 * 40, c.fvcoreTotal());
        }
    }

    @Test
    void batchNormCountsOneOrTwoPerElementInEvaluationAndLikeLayerNormInTraining() {
        try (FlopCounter c = FlopCounter.open()) {
            FlopCounter.batchNorm(10, false, false);
            FlopCounter.batchNorm(10, true, false);
            FlopCounter.batchNorm(10, false, true);
            FlopCounter.batchNorm(10, true, true);
            assertEquals(10 + 20 + 40 + 50, c.count(FlopKind.BATCH_NORM));
            assertEquals(120, c.fvcoreTotal());
        }
        FlopCounter.batchNorm(10, true, true);
    }

    @Test
    void elementwiseSoftmaxAndReductionsAreNotCounted() {
        try (FlopCounter c = FlopCounter.open()) {
            Tensor x = Tensor.ones(4, 6);
            x.add(x).mul(x).gelu().softmax().sum(1, false);
            Ops.gather(x, 1, Tensor.ofInts(new int[] {0, 1, 2, 3}, 4, 1));
            c.byKind().values().forEach(v -> assertEquals(0L, v));
        }
    }

    @Test
    void nothingIsCountedOutsideAnOpenCounter() {
        Tensor.ones(5, 7).matmul(Tensor.ones(7, 3));
        FlopCounter c = FlopCounter.open();
        c.close();
        Tensor.ones(5, 7).matmul(Tensor.ones(7, 3));
        assertEquals(0, c.fvcoreTotal());
        assertFalse(FlopCounter.active(), "no counter should remain open");
        try (FlopCounter.Scope r = FlopCounter.region("x"); FlopCounter.Scope p = FlopCounter.reportProductsAs(FlopKind.WEIGHTED_SUM)) {
            Tensor.ones(2, 2).matmul(Tensor.ones(2, 2));
        }
    }

    @Test
    void nestedCountersBothSeeTheInnerOperations() {
        try (FlopCounter outer = FlopCounter.open()) {
            Tensor.ones(2, 3).matmul(Tensor.ones(3, 4));
            try (FlopCounter inner = FlopCounter.open()) {
                Tensor.ones(1, 3).matmul(Tensor.ones(3, 4));
                assertEquals(12, inner.fvcoreTotal());
            }
            assertEquals(24 + 12, outer.fvcoreTotal());
        }
    }

    @Test
    void countersCloseInReverseOrder() {
        FlopCounter outer = FlopCounter.open();
        FlopCounter inner = FlopCounter.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        inner.close();
        outer.close();
        assertFalse(FlopCounter.active());
    }

    @Test
    void otherThreadsDoNotReportIntoThisThreadsCounter() throws Exception {
        // Each thread keeps its own outcome: one shared slot let the closer's expected failure hide the worker's.
        AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        try (FlopCounter c = FlopCounter.open()) {
            Thread t = new Thread(() -> {
                try {
                    Tensor.ones(10, 10).matmul(Tensor.ones(10, 10));
                } catch (Throwable ex) {
                    workerFailure.set(ex);
                }
            });
            t.start();
            t.join();
            if (workerFailure.get() != null) {
                throw new AssertionError("the other thread's product failed", workerFailure.get());
            }
            assertEquals(0, c.fvcoreTotal());
            Thread closer = new Thread(() -> {
                try {
                    c.close();
                } catch (Throwable ex) {
                    closeFailure.set(ex);
                }
            });
            closer.start();
            closer.join();
            assertTrue(closeFailure.get() instanceof IllegalStateException, "closing from another thread must fail, got " + closeFailure.get());
        }
    }

    @Test
    void regionsAttributeAndNestWithDots() {
        try (FlopCounter c = FlopCounter.open()) {
            Tensor.ones(1, 2).matmul(Tensor.ones(2, 1));                           // 2, outside any region
            try (FlopCounter.Scope b = FlopCounter.region("blocks.0")) {
                Tensor.ones(1, 3).matmul(Tensor.ones(3, 1));                       // 3
                try (FlopCounter.Scope a = FlopCounter.region("attn")) {
                    layerNorm(Tensor.ones(1, 4), true);                            // 20
                }
                Tensor.ones(1, 5).matmul(Tensor.ones(5, 1));                       // 5
            }
            Map<String, Map<FlopKind, Long>> r = c.byRegion();
            assertEquals(2L, r.get("").get(FlopKind.MATMUL));
            assertEquals(8L, r.get("blocks.0").get(FlopKind.MATMUL));
            assertEquals(20L, r.get("blocks.0.attn").get(FlopKind.LAYER_NORM));
            assertEquals(28, c.fvcoreTotal("blocks.0"));
            assertEquals(20, c.fvcoreTotal("blocks.0.attn"));
            assertEquals(28, c.fvcoreTotal("blocks"), "a region includes the regions named below it");
            assertEquals(0, c.fvcoreTotal("block"), "a region prefix is matched by whole names only");
            assertEquals(30, c.fvcoreTotal());
        }
    }

    @Test
    void relabelledProductsAreKeptButLeftOutOfTheFvcoreTotal() {
        try (FlopCounter c = FlopCounter.open()) {
            try (FlopCounter.Scope s = FlopCounter.reportProductsAs(FlopKind.WEIGHTED_SUM)) {
                Tensor.ones(1, 6).matmul(Tensor.ones(6, 4));
                layerNorm(Tensor.ones(1, 4), true);
            }
            Tensor.ones(1, 6).matmul(Tensor.ones(6, 4));
            assertEquals(24, c.count(FlopKind.WEIGHTED_SUM));
            assertEquals(24, c.count(FlopKind.MATMUL));
            assertEquals(20, c.count(FlopKind.LAYER_NORM));
            assertEquals(44, c.fvcoreTotal());
        }
    }

    @Test
    void regionNamesMustBeNonEmpty() {
        assertThrows(IllegalArgumentException.class, () -> FlopCounter.region(""));
    }
}
