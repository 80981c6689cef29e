package org.sparsetuning.data;

import org.sparsetuning.tensor.random.Generator;

/**
 * Derived random streams for data handling. {@link Generator} streams whose seeds differ by a multiple of
 * its counter step overlap, so derived seeds go through a full 64-bit mix rather than simple arithmetic:
 * streams for neighbouring epochs or example indices are then unrelated.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The stream that draws the augmentation of example {@code index} in {@code epoch}. */
    public static Generator forExample(long seed, long epoch, long index) {
        return new Generator(mix(mix(mix(seed ^ 0x243F6A8885A308D3L) + epoch) + index));
    }

    /** The stream that picks the frames of example {@code index}'s clip in {@code epoch} (apart from its augmentation). */
    public static Generator forFrames(long seed, long epoch, long index) {
        return new Generator(mix(mix(mix(seed ^ 0x452821E638D01377L) + epoch) + index));
    }

    /** The stream that shuffles the examples in {@code epoch}. */
    public static Generator forShuffle(long seed, long epoch) {
        return new Generator(mix(mix(seed ^ 0x13198A2E03707344L) + epoch));
    }

    /** A stream for one named use of a seed (splits, few-shot draws), so uses do not share numbers. */
    public static Generator forPurpose(long seed, String purpose, long part) {
        return new Generator(mix(mix(seed ^ purpose.hashCode() * 0xA4093822299F31D0L) + part));
    }

    /** SplitMix64's finaliser: a bijection on 64-bit values with full avalanche. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
