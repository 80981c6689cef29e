package org.sparsetuning.nn.io;

import java.util.Arrays;

/**
 * One tensor as a safetensors header describes it: its stored dtype name (e.g. {@code "BF16"}), shape, and
 * byte range {@code [begin, end)} relative to the start of the data section.
 */
public record SafetensorsEntry(String name, String dtype, int[] shape, long begin, long end) {
    public SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
