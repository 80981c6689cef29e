package org.sparsetuning.data.transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The usual training and evaluation pipelines for a ViT of input size {@code size}, in timm's shape. Both
 * optionally start with {@link GrayToRgb} (for 3-channel models fed grayscale data) and end with the
 * checkpoint's {@link Normalize}.
 */
public final class Pipelines {
    private Pipelines() {
    }

    /** RandomResizedCrop (torchvision's default scale and ratio) then, if asked, a horizontal flip. */
    public static TransformPipeline training(int size, boolean toRgb, boolean flip, Interpolation kind, Normalize norm) {
        List<Transform> steps = new ArrayList<>();
        if (toRgb) {
            steps.add(new GrayToRgb());
        }
        steps.add(new RandomResizedCrop(size, kind));
        if (flip) {
            steps.add(new RandomHorizontalFlip());
        }
        steps.add(norm);
        return new TransformPipeline(steps);
    }

    /**
     * Resize of the shorter side to {@code floor(size / cropPct)} then a central {@code size} crop (timm's
     * eval transform; cropPct 0.875 for DeiT, 0.9 for Google's ViT; 1.0 resizes straight to size × size).
     */
    public static TransformPipeline evaluation(int size, double cropPct, boolean toRgb, Interpolation kind, Normalize norm) {
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new IllegalArgumentException("crop fraction must be in (0, 1], got " + cropPct);
        }
        List<Transform> steps = new ArrayList<>();
        if (toRgb) {
            steps.add(new GrayToRgb());
        }
        if (cropPct == 1.0) {
            steps.add(Resize.to(size, size, kind));
        } else {
            steps.add(Resize.shorterSide((int) Math.floor(size / cropPct), kind));
            steps.add(new CenterCrop(size));
        }
        steps.add(norm);
        return new TransformPipeline(steps);
    }
}
