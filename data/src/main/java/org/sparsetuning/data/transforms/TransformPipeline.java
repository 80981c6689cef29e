package org.sparsetuning.data.transforms;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.sparsetuning.data.FrameSampling;
import org.sparsetuning.tensor.random.Generator;
import org.sparsetuning.data.Sample;

/**
 * Transforms applied in order to a decoded {@link Sample}, giving the float CHW image the model sees. The
 * same generator is handed to every step, so the draws of one example are a fixed sequence.
 *
 * <p>For a video model the pipeline also says which frames make a clip ({@link #frames()}), and
 * {@link #input(Sample, Supplier)} transforms every frame of a clip with a fresh copy of the same stream: the
 * same crop, flip and resize for the whole clip.
 */
public final class TransformPipeline {
    private final List<Transform> steps;
    private final FrameSampling frames;

    public TransformPipeline(List<Transform> steps) {
        this(steps, null);
    }

    private TransformPipeline(List<Transform> steps, FrameSampling frames) {
        this.steps = List.copyOf(steps);
        this.frames = frames;
    }

    /** The same steps for clips whose frames are chosen by {@code sampling} (null: a model of images). */
    public TransformPipeline withFrames(FrameSampling sampling) {
        return new TransformPipeline(steps, sampling);
    }

    /** How clips are sampled, or null when the pipeline feeds a model of images. */
    public FrameSampling frames() {
        return frames;
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

    /**
     * Transforms an image, or every frame of a clip with the same draws: {@code stream} must give a new generator
     * at the same position on each call (the loader derives it from (seed, epoch, index)).
     *
     * @throws IllegalArgumentException when a clip meets a pipeline for images or the other way round
     */
    public ModelInput input(Sample sample, Supplier<Generator> stream) {
        if (!sample.isClip()) {
            if (frames != null) {
                throw new IllegalArgumentException(sample.origin() + " is an image but the model takes clips of "
                        + frames.count() + " frames");
            }
            return ModelInput.of(apply(sample, stream.get()));
        }
        if (frames == null) {
            throw new IllegalArgumentException(sample.origin() + " is a clip of " + sample.frames()
                    + " frames but the model takes images (use a video model: num_frames > 0)");
        }
        Image first = null;
        float[] out = null;
        int t = sample.frames();
        for (int f = 0; f < t; f++) {
            Image img = apply(sample.frame(f), stream.get());
            if (first == null) {
                first = img;
                out = new float[img.pixels().length * t];
            } else if (img.channels() != first.channels() || img.height() != first.height() || img.width() != first.width()) {
                throw new IllegalArgumentException(sample.origin() + ": frame " + f + " is " + img.sizeString()
                        + " after the transforms but frame 0 is " + first.sizeString());
            }
            int plane = img.height() * img.width();
            for (int c = 0; c < img.channels(); c++) {
                System.arraycopy(img.pixels(), c * plane, out, (c * t + f) * plane, plane);
            }
        }
        return new ModelInput(out, first.channels(), t, first.height(), first.width());
    }

    /** Whether any step, or the frame sampling, draws random numbers (evaluation pipelines should not). */
    public boolean isRandom() {
        return steps.stream().anyMatch(Transform::isRandom) || frames != null && frames.random();
    }

    /** One line for logs: the steps joined by arrows (and the frame sampling of clips). */
    public String describe() {
        String s = steps.isEmpty() ? "Identity" : steps.stream().map(Transform::describe).collect(Collectors.joining(" -> "));
        return frames == null ? s : s + " on clips of " + frames.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
