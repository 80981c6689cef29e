package org.sparsetuning.data;

/**
 * An example a {@link DataLoader} left out under {@link BadFilePolicy#SKIP}: in which epoch, its dataset
 * index, its position in that epoch's order, and why (the reader's message, which names the file).
 */
public record SkippedExample(int epoch, int index, int position, String reason) {
}
