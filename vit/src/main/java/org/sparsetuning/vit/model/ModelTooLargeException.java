package org.sparsetuning.vit.model;

/**
 * A model whose backbone alone is larger than the heap this JVM may grow to, refused before anything is
 * allocated. Its own type so that a caller probing for the smallest heap (bench-model's memory search) can tell
 * it from a wrong configuration: to such a caller it is the same answer as an OutOfMemoryError.
 */
public final class ModelTooLargeException extends IllegalArgumentException {
    public ModelTooLargeException(String message) {
        super(message);
    }
}
