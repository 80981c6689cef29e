package org.sparsetuning.train;

import java.util.List;

/**
 * One method's line of a comparison, with how each figure was measured.
 *
 * @param top1 test top-1 of the best epoch's weights (best by validation top-1), in [0, 1]
 * @param trainableParameters elements that train, the head included
 * @param gflops fvcore GFLOPs of one image's forward pass (SPEC A.9)
 * @param trainPeakBytes peak tensor memory while training at the run's batch size: every parameter plus the most
 *     that was alive at once during training (activations kept for backward, gradients, optimizer moments)
 * @param inferPeakBytes the same for evaluation at the same batch size (parameters plus the largest forward pass)
 * @param trainImagesPerSecond images per second of training steps (forward, backward, update), over all epochs
 * @param inferImagesPerSecond images per second of the test evaluation
 * @param history every epoch's metrics; {@code bestEpoch} is the one whose weights were tested
 * @param viewsTop1 test top-1 with multi-view testing (softmax averaged over {@code views}), NaN when not measured
 * @param views the views of {@code viewsTop1}, e.g. {@code 2x3} (temporal clips × spatial crops), or empty
 */
public record MethodResult(String method, double top1, double top5, long trainableParameters, long headParameters,
        double gflops, long trainPeakBytes, long inferPeakBytes, double trainImagesPerSecond, double inferImagesPerSecond,
        List<EpochMetrics> history, int bestEpoch, double trainSeconds, double viewsTop1, String views) {
}
