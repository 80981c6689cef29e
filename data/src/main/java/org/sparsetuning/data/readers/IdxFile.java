package org.sparsetuning.data.readers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One IDX file (LeCun's MNIST format): two zero bytes, a type code (0x08 = unsigned bytes, the only one
 * image and label files use), the number of dimensions, then each dimension as a big-endian int32, then the
 * data in row-major order. The whole file must be exactly that long.
 */
record IdxFile(Path path, int[] dims, byte[] bytes, int dataOffset) {
    private static final int UNSIGNED_BYTE = 0x08;

    /** Reads and checks {@code path} (gzipped or not), expecting {@code rank} dimensions. */
    static IdxFile read(Path path, int rank, String what) throws IOException {
        byte[] b = DataFiles.readMaybeGzipped(path);
        int expectedMagic = (UNSIGNED_BYTE << 8) | rank;
        if (b.length < 4) {
            throw new IOException(path + ": " + b.length + " bytes, too short for an IDX header (expected " + what + ")");
        }
        int magic = readInt(b, 0);
        if (magic != expectedMagic) {
            throw new IOException(path + ": bad magic number 0x" + String.format("%08X", magic) + ", expected 0x"
                    + String.format("%08X", expectedMagic) + " for " + what + " (IDX, unsigned bytes, " + rank + " dimensions)");
        }
        int header = 4 + 4 * rank;
        if (b.length < header) {
            throw new IOException(path + ": truncated IDX header: " + b.length + " bytes, expected " + header);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(b, 4 + 4 * i);
            if (dims[i] <= 0) {
                throw new IOException(path + ": dimension " + i + " is " + dims[i] + " (dims " + Arrays.toString(dims) + ")");
            }
            count *= dims[i];
        }
        long expected = header + count;
        if (b.length != expected) {
            String shape = Arrays.toString(dims);
            throw new IOException(path + (b.length < expected ? ": truncated: " : ": trailing bytes: ") + b.length
                    + " bytes, expected " + expected + " (" + header + "-byte header + " + count + " values for " + what
                    + " of shape " + shape + ")");
        }
        return new IdxFile(path, dims, b, header);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    /** The unsigned byte at flat data position {@code i}. */
    int value(long i) {
        return bytes[dataOffset + (int) i] & 0xFF;
    }
}
