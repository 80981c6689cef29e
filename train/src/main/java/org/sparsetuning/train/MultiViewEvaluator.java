package org.sparsetuning.train;

import java.io.IOException;
import java.util.List;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.data.Batch;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.vit.model.VisionTransformer;

/**
 * Multi-view testing (video practice: temporal clips × spatial crops): every example is classified in every view
 * and its class probabilities (softmax of the logits) are averaged over the views; top-1 and top-5 are read from
 * the average and the loss is its cross-entropy, −log of the label's mean probability.
 */
public final class MultiViewEvaluator {
    private MultiViewEvaluator() {
    }

    /**
     * @param views the same examples, in the same order, as each view presents them (for instance the same clips
     *     with other frames and crops); each must give every example once
     */
    @SuppressWarnings("try")
    public static EvalResult evaluate(VisionTransformer model, List<? extends TrainingData> views, int batchSize,
            TrainListener listener) throws IOException {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("multi-view testing needs at least one view");
        }
        TrainingData first = views.get(0);
        int n = first.size();
        if (n == 0) {
            throw new IllegalArgumentException(first.source() + ": no examples to evaluate");
        }
        for (TrainingData v : views) {
            if (v.size() != n) {
                throw new IllegalArgumentException("view " + v.source() + " has " + v.size() + " examples, view "
                        + first.source() + " has " + n);
            }
            Evaluator.checkClasses(model, v);
        }
        int classes = model.cfg.numClasses();
        double[] probs = new double[n * classes];
        int[] labels = new int[n];
        int[] seen = new int[n];
        int batchesPerView = (n + batchSize - 1) / batchSize;
        int total = batchesPerView * views.size();
        listener.evaluationStarted(total);
        boolean wasTraining = model.isTraining();
        model.eval();
        long t0 = System.nanoTime();
        int done = 0;
        try (GradMode.Guard off = GradMode.disabled()) {
            for (TrainingData view : views) {
                try (BatchStream stream = view.inOrder(batchSize)) {
                    while (true) {
                        try (TensorScope scope = TensorScope.open()) {
                            if (!stream.hasNext()) {
                                break;
                            }
                            Batch batch = stream.next();
                            Variable logits = model.forward(batch.images());
                            float[] p = logits.data().softmax().contiguous().toFloatArray();
                            int[] ys = batch.labels().toIntArray();
                            int[] idx = batch.indices();
                            for (int i = 0; i < idx.length; i++) {
                                labels[idx[i]] = ys[i];
                                seen[idx[i]]++;
                                for (int c = 0; c < classes; c++) {
                                    probs[idx[i] * classes + c] += p[i * classes + c];
                                }
                            }
                        }
                        listener.evaluationBatch(++done, total);
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long hits1 = 0, hits5 = 0;
        double lossSum = 0;
        float[] mean = new float[classes];
        for (int e = 0; e < n; e++) {
            if (seen[e] != views.size()) {
                throw new IllegalStateException(first.source() + ": example " + e + " was classified in " + seen[e] + " of "
                        + views.size() + " views (every view must give every example once)");
            }
            for (int c = 0; c < classes; c++) {
                mean[c] = (float) (probs[e * classes + c] / views.size());
            }
            int rank = Evaluator.rankOfLabel(mean, 0, classes, labels[e]);
            hits1 += rank < 1 ? 1 : 0;
            hits5 += rank < 5 ? 1 : 0;
            lossSum -= Math.log(Math.max(mean[labels[e]], Float.MIN_NORMAL));
        }
        // Throughput counts one example per view classified, as the images/s of a single-view pass would.
        return new EvalResult(n, (double) hits1 / n, (double) hits5 / n, lossSum / n, seconds / views.size());
    }
}
