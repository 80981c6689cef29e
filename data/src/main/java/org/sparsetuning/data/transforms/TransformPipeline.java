package org.sparsetuning.data.transforms;

import java.util.List;
import java.util.stream.Collectors;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.data.Sample;

/**
 * Transforms applied in order to a decoded {@link Sample}, giving the float CHW image the model sees. The
 * same generator is handed to every step, so the draws of one example are a fixed sequence.
 */
public final class TransformPipeline {
    private final List<Transform> steps;

    public TransformPipeline(List<Transform> steps) {
        this.steps = List.copyOf(steps);
    }

    public static TransformPipeline of(Transform... steps) {
        return new TransformPipeline(List.of(steps));
    }

    /** No transform: the decoded pixels as they are. */
    public static TransformPipeline identity() {
        return new TransformPipeline(List.of());
    }

    public List<Transform> steps() {
        return steps;
    }

    public Image apply(Sample sample, Generator rng) {
        Image img = Image.of(sample);
        for (Transform t : steps) {
            try {
                img = t.apply(img, rng);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(sample.origin() + ": " + t.describe() + " failed: " + e.getMessage(), e);
            }
        }
        return img;
    }

    /** Whether any step draws random numbers (evaluation pipelines should not). */
    public boolean isRandom() {
        return steps.stream().anyMatch(Transform::isRandom);
    }

    /** One line for logs: the steps joined by arrows. */
    public String describe() {
        return steps.isEmpty() ? "Identity" : steps.stream().map(Transform::describe).collect(Collectors.joining(" -> "));
    }

    @Override
    public String toString() {
        return describe();
    }
}
