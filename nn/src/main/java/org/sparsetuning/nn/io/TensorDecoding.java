package org.sparsetuning.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;

/**
 * Turns a run of stored elements into a tensor through a fixed-size buffer, so a 1 GB checkpoint never
 * sits in memory twice (once as bytes, once as floats).
 */
final class TensorDecoding {
    /** Chunk size in bytes; a multiple of every element size. */
    private static final int CHUNK = 1 << 20;

    private TensorDecoding() {
    }

    /**
     * Reads {@code numel(shape)} elements of {@code type} from {@code src} into a new contiguous tensor.
     * {@code what} names the file and tensor for error messages.
     */
    static Tensor decode(ByteSource src, StoredType type, int[] shape, ByteOrder order, String what) throws IOException {
        int n = Shape.numel(shape);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max((long) n * type.size(), 8L))).order(order);
        int perChunk = buf.capacity() / type.size();
        if (type.target() == DType.F32) {
            float[] out = new float[n];
            for (int done = 0; done < n; ) {
                int m = Math.min(perChunk, n - done);
                fill(src, buf, m * type.size(), done, n, type, what);
                type.decodeFloats(buf, out, done, m);
                done += m;
            }
            return Tensor.of(out, shape);
        }
        int[] out = new int[n];
        for (int done = 0; done < n; ) {
            int m = Math.min(perChunk, n - done);
            fill(src, buf, m * type.size(), done, n, type, what);
            int bad = type.decodeInts(buf, out, done, m);
            if (bad >= 0) {
                long index = (long) done + bad;
                String problem = type == StoredType.BOOL ? "a BOOL byte other than 0 or 1" : "a value outside the int32 range";
                throw new CheckpointFormatException(what + ": element " + index + " is " + problem
                        + " (the engine holds integers as I32)");
            }
            done += m;
        }
        return Tensor.ofInts(out, shape);
    }

    private static void fill(ByteSource src, ByteBuffer buf, int bytes, int done, int n, StoredType type, String what) throws IOException {
        buf.clear().limit(bytes);
        try {
            src.readFully(buf);
        } catch (EOFException e) {
            long have = (long) done * type.size() + buf.position();
            throw new CheckpointFormatException(what + ": data truncated, expected " + (long) n * type.size()
                    + " bytes of " + type + " but only " + have + " are there", e);
        }
        buf.flip();
    }
}
