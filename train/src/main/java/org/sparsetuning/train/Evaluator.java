package org.sparsetuning.train;

import java.io.IOException;
import org.sparsetuning.autograd.F;
import org.sparsetuning.autograd.GradMode;
import org.sparsetuning.autograd.Variable;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;
import org.sparsetuning.data.Batch;
import org.sparsetuning.vit.model.VisionTransformer;

/** Accuracy and loss of a model over a data set, in eval mode and without recording a graph. */
public final class Evaluator {
    private Evaluator() {
    }

    @SuppressWarnings("try")
    public static EvalResult evaluate(VisionTransformer model, TrainingData data, int batchSize, TrainListener listener)
            throws IOException {
        if (data.size() == 0) {
            throw new IllegalArgumentException(data.source() + ": no examples to evaluate");
        }
        checkClasses(model, data);
        boolean wasTraining = model.isTraining();
        model.eval();
        int n = data.size();
        int batches = (n + batchSize - 1) / batchSize;
        listener.evaluationStarted(batches);
        long hits1 = 0;
        long hits5 = 0;
        double lossSum = 0;
        int seen = 0;
        long t0 = System.nanoTime();
        try (GradMode.Guard off = GradMode.disabled()) {
            try (BatchStream stream = data.inOrder(batchSize)) {
                for (int b = 0; ; b++) {
                    try (TensorScope scope = TensorScope.open()) {
                        if (!stream.hasNext()) {
                            break;
                        }
                        Batch batch = stream.next();
                        int len = batch.size();
                        Variable logits = model.forward(batch.images());
                        lossSum += F.crossEntropy(logits, batch.labels()).data().item() * len;
                        int[] labels = batch.labels().toIntArray();
                        float[] z = logits.data().contiguous().toFloatArray();
                        int classes = logits.size(1);
                        for (int i = 0; i < len; i++) {
                            int rank = rankOfLabel(z, i * classes, classes, labels[i]);
                            hits1 += rank < 1 ? 1 : 0;
                            hits5 += rank < 5 ? 1 : 0;
                        }
                        seen += len;
                    }
                    listener.evaluationBatch(b + 1, batches);
                }
            }
        } finally {
            model.train(wasTraining);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (seen == 0) {
            throw new IllegalStateException(data.source() + ": evaluation produced no batch");
        }
        return new EvalResult(seen, (double) hits1 / seen, (double) hits5 / seen, lossSum / seen, seconds);
    }

    /** How many classes score strictly higher than the label (0: a top-1 hit); a NaN score is never a hit. */
    public static int rankOfLabel(float[] logits, int offset, int classes, int label) {
        float mine = logits[offset + label];
        if (Float.isNaN(mine)) {
            return classes;
        }
        int rank = 0;
        for (int c = 0; c < classes; c++) {
            if (logits[offset + c] > mine) {
                rank++;
            }
        }
        return rank;
    }

    /** The head must cover every label of the data. */
    static void checkClasses(VisionTransformer model, TrainingData data) {
        int dataClasses = data.classNames().size();
        if (dataClasses > model.cfg.numClasses()) {
            throw new IllegalArgumentException(data.source() + " has " + dataClasses + " classes but the model's head has "
                    + model.cfg.numClasses());
        }
    }
}
