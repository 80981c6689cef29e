package org.sparsetuning.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;
import org.sparsetuning.vit.model.VitConfig;

class MultiViewEvaluatorTest {
    @Test
    @SuppressWarnings("try")
    void probabilitiesAreAveragedOverViews() throws IOException {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.SPARSE_TUNING));
        TensorData a = TinySetup.data(7, 1);
        TensorData b = new TensorData(TinySetup.data(7, 2).batch(new int[] {0, 1, 2, 3, 4, 5, 6}).images(),
                labels(a), a.classNames(), "other view");
        model.eval();
        float[] pa, pb;
        try (TensorScope s = TensorScope.open(); GradMode.Guard off = GradMode.disabled()) {
            pa = model.forward(a.batch(range(7)).images()).data().softmax().contiguous().toFloatArray();
            pb = model.forward(b.batch(range(7)).images()).data().softmax().contiguous().toFloatArray();
        }
        int hits = 0;
        double loss = 0;
        for (int i = 0; i < 7; i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = pa[i * 3 + c] + pb[i * 3 + c] > pa[i * 3 + best] + pb[i * 3 + best] ? c : best;
            }
            int y = a.label(i);
            hits += best == y ? 1 : 0;
            loss -= Math.log((pa[i * 3 + y] + pb[i * 3 + y]) / 2);
        }
        model.train(true);
        EvalResult r = MultiViewEvaluator.evaluate(model, List.of(a, b), 3, TrainListener.NONE);
        assertEquals(7, r.examples());
        assertEquals(hits / 7.0, r.top1(), 1e-12);
        assertEquals(loss / 7, r.loss(), 1e-5);
        assertEquals(true, model.isTraining(), "the model's mode is restored");

        EvalResult one = MultiViewEvaluator.evaluate(model, List.of(a), 4, TrainListener.NONE);
        assertEquals(Evaluator.evaluate(model, a, 4, TrainListener.NONE).top1(), one.top1(), 1e-12);
    }

    @Test
    void viewsMustHoldTheSameExamples() {
        VisionTransformer model = TinySetup.model(TinySetup.config(VitConfig.FULL));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiViewEvaluator.evaluate(model, List.of(TinySetup.data(4, 1), TinySetup.data(5, 1)), 2, TrainListener.NONE));
        assertEquals("view tiny-1 has 5 examples, view tiny-1 has 4", e.getMessage());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] labels(TensorData d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.label(i);
        }
        return y;
    }
}
