package org.sparsetuning.data;

import org.sparsetuning.tensor.Tensor;

/**
 * A batch ready for the model: {@code images} [B, C, H, W] F32 (transformed and normalised; [B, C, T, H, W] for clips), {@code labels}
 * [B] I32, and the dataset indices of its examples (for logging, predictions and visualisation).
 */
public record Batch(Tensor images, Tensor labels, int[] indices) {
    public int size() {
        return indices.length;
    }
}
