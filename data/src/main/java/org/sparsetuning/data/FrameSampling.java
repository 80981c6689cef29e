package org.sparsetuning.data;

import org.sparsetuning.tensor.random.Generator;

/**
 * Which frames of a video make a clip of {@code count} frames, TSN-style: the video's n frames are cut into
 * {@code count} equal segments and one frame is taken from each, at fraction u of the segment, frame
 * {@code floor((i + u) · n / count)} for segment i. Training draws u uniformly for every segment (from the example's
 * stream of (seed, epoch, index), see {@link DataLoader}); testing takes clip {@code clip} of {@code clips} evenly
 * spread views, u = (clip + ½) / clips, so one clip is the segment centres. A video shorter than {@code count}
 * gets some frames twice (segments shorter than a frame share it) rather than failing.
 *
 * <p>Images ignore it; a clip dataset needs one to decode an example (see {@link Dataset#get(int, FrameSampling, Generator)}).
 */
public record FrameSampling(int count, boolean random, int clip, int clips) {
    public FrameSampling {
        if (count <= 0) {
            throw new IllegalArgumentException("a clip needs at least one frame, got " + count);
        }
        if (clips <= 0 || clip < 0 || clip >= clips) {
            throw new IllegalArgumentException("temporal view " + clip + " of " + clips + ": expected 0 <= view < views");
        }
    }

    /** Training: one random frame per segment. */
    public static FrameSampling training(int count) {
        return new FrameSampling(count, true, 0, 1);
    }

    /** Testing with a single view: the centre frame of each segment. */
    public static FrameSampling centres(int count) {
        return new FrameSampling(count, false, 0, 1);
    }

    /** Testing, temporal view {@code clip} of {@code clips}. */
    public static FrameSampling view(int count, int clip, int clips) {
        return new FrameSampling(count, false, clip, clips);
    }

    /**
     * The frame indices (0-based, non-decreasing) of a clip from a video of {@code available} frames.
     *
     * @param draws the example's stream; used only when {@link #random()}
     */
    public int[] indices(int available, Generator draws) {
        if (available <= 0) {
            throw new IllegalArgumentException("a video needs at least one frame, got " + available);
        }
        if (random && draws == null) {
            throw new IllegalArgumentException("random frame sampling needs the example's random stream");
        }
        float[] u = random ? draws.uniform(count) : null;
        double fixed = (clip + 0.5) / clips;
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double at = random ? u[i] : fixed;
            out[i] = Math.min(available - 1, (int) Math.floor((i + at) * available / count));
        }
        return out;
    }

    /** For logs, e.g. {@code 8 frames, TSN random} or {@code 8 frames, view 2 of 3}. */
    public String describe() {
        return count + " frame" + (count == 1 ? "" : "s") + ", "
                + (random ? "one random per segment" : clips == 1 ? "segment centres" : "temporal view " + (clip + 1) + " of " + clips);
    }
}
