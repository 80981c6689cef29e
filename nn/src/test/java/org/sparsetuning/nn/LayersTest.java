package org.sparsetuning.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.random.Generator;

class LayersTest {
    @Test
    void linearHasTorchLayoutInitAndResult() {
        Linear l = new Linear(4, 3, new Generator(1));
        assertArrayEquals(new int[] {3, 4}, l.weight.shape());
        double bound = 1 / Math.sqrt(4);
        for (double w : l.weight.data().toDoubleArray()) {
            assertTrue(Math.abs(w) <= bound);
        }
        for (double b : l.bias.data().toDoubleArray()) {
            assertTrue(Math.abs(b) <= bound);
        }
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        double expect = l.bias.data().get(2);
        for (int i = 0; i < 4; i++) {
            expect += l.weight.data().get(2, i) * (i + 1);
        }
        assertEquals(expect, l.forward(Variable.constant(x)).data().get(0, 2), 1e-5);
        assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
    }

    @Test
    void mlpNamesMatchTimm() {
        Mlp m = new Mlp(4, 8, new Generator(2));
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void layerNormNormalisesLastDimension() {
        LayerNorm ln = new LayerNorm(4, 1e-6);
        Tensor y = ln.forward(Variable.constant(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4))).data();
        assertEquals(0, y.sum().item(), 1e-5);
        assertEquals(1, y.square().mean().item(), 1e-4);
    }

    @Test
    void dropoutAndDropPathAreIdentityInEvalAndScaleInTraining() {
        Variable x = Variable.constant(Tensor.ones(64, 8));
        Dropout d = new Dropout(0.5, new Generator(3));
        DropPath p = new DropPath(0.5, new Generator(4));
        d.eval();
        p.eval();
        assertSame(x, d.forward(x));
        assertSame(x, p.forward(x));
        p.train(true);
        double[] v = p.forward(x).data().toDoubleArray();
        int dropped = 0;
        for (int r = 0; r < 64; r++) {
            double first = v[r * 8];
            assertTrue(first == 0 || first == 2, "survivors scale by 1/(1-p)");
            for (int c = 1; c < 8; c++) {
                assertEquals(first, v[r * 8 + c], "a whole sample's branch is kept or dropped");
            }
            dropped += first == 0 ? 1 : 0;
        }
        assertTrue(dropped > 10 && dropped < 54, "about half dropped, got " + dropped);
        assertThrows(IllegalArgumentException.class, () -> new DropPath(1.0, new Generator(0)));
    }

    @Test
    void crossEntropyWithLabelSmoothing() {
        Tensor logits = Tensor.of(new float[] {2, 0, 0}, 1, 3);
        Tensor labels = Tensor.ofInts(new int[] {0}, 1);
        double lse = Math.log(Math.exp(2) + 2);
        assertEquals(lse - 2, new CrossEntropyLoss().forward(Variable.constant(logits), labels).data().item(), 1e-6);
        double eps = 0.1;
        double smoothed = (1 - eps) * (lse - 2) + eps / 3 * (3 * lse - 2);
        assertEquals(smoothed, new CrossEntropyLoss(eps).forward(Variable.constant(logits), labels).data().item(), 1e-6);
    }
}
