package org.sparsetuning.nn.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutations of a valid file, aimed at what breaks readers: size and count fields turned huge, zero or
 * negative (as 16-, 32- and 64-bit integers of either byte order, and as decimal text in text headers), cut-off
 * files, and flipped, inserted, deleted or repeated bytes. The same seed gives the same files.
 */
public final class Mutator {
    private static final long[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0x80000000L,
            0xFFFFFFFFL, 0x10000000L, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] NUMBERS = {"0", "-1", "2147483647", "2147483648", "4294967296", "500000000",
            "99999999999999999999", "65536"};

    private final SplittableRandom rnd;

    public Mutator(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** One to three mutations of {@code valid} (which is not changed). */
    public byte[] mutate(byte[] valid) {
        byte[] b = valid.clone();
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count && b.length > 0; i++) {
            b = once(b);
        }
        return b;
    }

    private byte[] once(byte[] b) {
        int at = rnd.nextInt(b.length);
        return switch (rnd.nextInt(8)) {
            case 0 -> {
                b[at] ^= (byte) (1 << rnd.nextInt(8));
                yield b;
            }
            case 1 -> {
                b[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                yield b;
            }
            case 2 -> integer(b, at);
            case 3 -> Arrays.copyOf(b, at);                       // cut off
            case 4 -> {                                           // delete a run
                int n = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                yield out;
            }
            case 5 -> {                                           // repeat a run
                int n = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at + n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                yield out;
            }
            case 6 -> decimal(b, at);
            default -> {                                          // insert random bytes
                byte[] ins = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                yield out;
            }
        };
    }

    /** Overwrites a 2-, 4- or 8-byte integer field at {@code at} with a boundary value, in either byte order. */
    private byte[] integer(byte[] b, int at) {
        int width = new int[] {2, 4, 8}[rnd.nextInt(3)];
        long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
        boolean little = rnd.nextBoolean();
        for (int i = 0; i < width && at + i < b.length; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            b[at + i] = (byte) (v >>> shift);
        }
        return b;
    }

    /** Replaces the run of ASCII digits nearest after {@code at} by a boundary number (text headers: shapes, offsets). */
    private byte[] decimal(byte[] b, int at) {
        int start = at;
        while (start < b.length && (b[start] < '0' || b[start] > '9')) {
            start++;
        }
        if (start == b.length) {
            return integer(b, at);
        }
        int end = start;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') {
            end++;
        }
        byte[] number = NUMBERS[rnd.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[b.length - (end - start) + number.length];
        System.arraycopy(b, 0, out, 0, start);
        System.arraycopy(number, 0, out, start, number.length);
        System.arraycopy(b, end, out, start + number.length, b.length - end);
        return out;
    }
}
