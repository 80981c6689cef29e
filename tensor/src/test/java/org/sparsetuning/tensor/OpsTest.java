package org.sparsetuning.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The shape logic in Ops and Tensor: broadcasting, matmul promotion, concat/stack, views, var, sumToShape. */
class OpsTest {
    private static Tensor seq(int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void broadcastingShapesAndErrors() {
        assertArrayEquals(new int[] {2, 4, 3}, seq(2, 1, 3).add(seq(4, 1)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> seq(2, 3).add(seq(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        // [2, 3] + [3]: the row repeats.
        assertArrayEquals(new float[] {0, 2, 4, 3, 5, 7}, seq(2, 3).add(seq(3)).toFloatArray());
    }

    @Test
    void matmulPromotesVectorsAndBroadcastsBatches() {
        assertArrayEquals(new int[] {2}, seq(3).matmul(seq(3, 2)).shape());
        assertArrayEquals(new int[] {2}, seq(2, 3).matmul(seq(3)).shape());
        Tensor dot = seq(3).matmul(seq(3));
        assertEquals(0, dot.dim());
        assertEquals(5.0, dot.item(), 0); // 0·0 + 1·1 + 2·2
        assertArrayEquals(new int[] {2, 5, 4, 2}, seq(2, 1, 4, 3).matmul(seq(5, 3, 2)).shape());
        // [1, 2] @ [[0, 1], [2, 3]] = [4, 7]
        assertArrayEquals(new float[] {4, 7}, Tensor.of(new float[] {1, 2}, 2).matmul(seq(2, 2)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> seq(2, 3).matmul(seq(4, 2)));
        assertThrows(IllegalArgumentException.class, () -> Ops.matmul(seq(2, 3), seq(3, 2), seq(3), org.sparsetuning.tensor.backend.Activation.NONE));
    }

    @Test
    void concatAndStack() {
        Tensor c = Ops.concat(new Tensor[] {seq(2, 2), seq(2, 1)}, 1);
        assertArrayEquals(new int[] {2, 3}, c.shape());
        assertArrayEquals(new float[] {0, 1, 0, 2, 3, 1}, c.toFloatArray());
        Tensor s = Ops.stack(new Tensor[] {seq(3), seq(3)}, 0);
        assertArrayEquals(new int[] {2, 3}, s.shape());
        Tensor s1 = Ops.stack(new Tensor[] {seq(3), seq(3)}, -1);
        assertArrayEquals(new int[] {3, 2}, s1.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1, 2, 2}, s1.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Ops.concat(new Tensor[] {seq(2, 2), seq(3, 1)}, 1));
    }

    @Test
    void viewsShareStorageAndKeepValues() {
        Tensor x = seq(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2), 0);
        assertFalse(p.isContiguous());
        assertThrows(IllegalStateException.class, () -> p.view(24));
        Tensor c = p.contiguous();
        assertTrue(c.isContiguous());
        assertEquals(x.get(1, 0, 2), c.get(2, 1, 0), 0);
        assertArrayEquals(p.toFloatArray(), p.reshape(24).toFloatArray());

        Tensor n = x.narrow(2, 1, 2);
        assertArrayEquals(new int[] {2, 3, 2}, n.shape());
        assertEquals(x.get(1, 1, 2), n.get(1, 1, 1), 0);
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(2, 3, 2));

        Tensor e = seq(3, 1).expand(2, 3, 4);
        assertEquals(0, e.stride(0));
        assertEquals(0, e.stride(2));
        assertEquals(2.0, e.get(1, 2, 3), 0);
        assertThrows(IllegalArgumentException.class, () -> seq(3, 2).expand(3, 4));

        Tensor u = x.unsqueeze(1);
        assertArrayEquals(new int[] {2, 1, 3, 4}, u.shape());
        assertArrayEquals(new int[] {2, 3, 4}, u.squeeze(1).shape());
        assertThrows(IllegalArgumentException.class, () -> x.squeeze(0));
        assertEquals(x.get(1, 2, 0), x.select(1, 2).get(1, 0), 0);

        // A write through a view lands in the shared storage.
        x.transpose(0, 2).set(-1, 3, 1, 0);
        assertEquals(-1.0, x.get(0, 1, 3), 0);
    }

    @Test
    void varianceWithCorrection() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4);
        assertEquals(1.25, x.var(0, false, 0).item(), 1e-6);
        assertEquals(5.0 / 3, x.var(0, false, 1).item(), 1e-6);
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 6, 8}, 2, 3);
        assertArrayEquals(new float[] {1, 4}, m.var(1, false, 1).toFloatArray(), 1e-6f);
        assertArrayEquals(new int[] {2, 1}, m.var(1, true, 0).shape());
    }

    @Test
    void reductionsOverSeveralDims() {
        Tensor x = seq(2, 3, 4);
        Tensor s = x.sum(new int[] {0, 2}, false);
        assertArrayEquals(new int[] {3}, s.shape());
        // Σ over i, k of (12i + 4j + k) = 2·(4·4j + 6) + 12·4 = 32j + 60.
        assertArrayEquals(new float[] {60, 92, 124}, s.toFloatArray());
        assertArrayEquals(new int[] {1, 3, 1}, x.sum(new int[] {-1, 0}, true).shape());
        assertEquals(276.0, x.sum().item(), 0);
        assertThrows(IllegalArgumentException.class, () -> x.sum(new int[] {1, 1}, false));
        assertArrayEquals(new int[] {3, 3}, seq(2, 3).argmax(0, false).expand(3, 3).shape());
    }

    @Test
    void sumToShapeUndoesBroadcasting() {
        Tensor g = Tensor.ones(2, 3, 4);
        Tensor r = Ops.sumToShape(g, new int[] {3, 1});
        assertArrayEquals(new int[] {3, 1}, r.shape());
        assertArrayEquals(new float[] {8, 8, 8}, r.toFloatArray());
        Tensor same = Ops.sumToShape(g, new int[] {2, 3, 4});
        assertEquals(g, same);
        assertEquals(24.0, Ops.sumToShape(g, new int[0]).item(), 0);
    }

    @Test
    void argumentErrors() {
        assertThrows(IllegalArgumentException.class, () -> Ops.topk(seq(2, 3), 4));
        assertThrows(IllegalArgumentException.class, () -> seq(2, 3).gather(1, seq(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> seq(2, 3).indexSelect(0, Tensor.ofInts(new int[] {0, 1}, 1, 2)));
        assertThrows(IllegalArgumentException.class, () -> seq(2, 3).sum(2, false));
        Tensor[] tk = Ops.topk(Tensor.of(new float[] {1, 3, 3, 2}, 4), 2);
        assertArrayEquals(new int[] {1, 2}, tk[1].toIntArray());
    }
}
