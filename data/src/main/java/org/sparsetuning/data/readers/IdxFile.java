package org.sparsetuning.data.readers;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.sparsetuning.data.DataFileException;

/**
 * One IDX file (LeCun's MNIST format): two zero bytes, a type code (0x08 = unsigned bytes, the only one
 * image and label files use), the number of dimensions, then each dimension as a big-endian int32, then the
 * data in row-major order. The whole file must be exactly that long. Gzipped files (by their magic number,
 * whatever their name) are read through the decompressor: the header is read first, and the size it declares
 * is checked against what the file could hold before the data array is allocated.
 */
record IdxFile(Path path, int[] dims, byte[] bytes, int dataOffset) {
    private static final int UNSIGNED_BYTE = 0x08;
    /** Deflate's best case, about 1032 output bytes per input byte: a gzip file cannot hold more. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** Reads and checks {@code path} (gzipped or not), expecting {@code rank} dimensions. */
    static IdxFile read(Path path, int rank, String what) throws IOException {
        long fileSize;
        boolean gzipped;
        try (InputStream probe = Files.newInputStream(path)) {
            fileSize = Files.size(path);
            byte[] two = probe.readNBytes(2);
            gzipped = two.length == 2 && (two[0] & 0xFF) == 0x1F && (two[1] & 0xFF) == 0x8B;
        } catch (NoSuchFileException e) {
            throw new DataFileException(path + ": file not found", e);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
             InputStream in = gzipped ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(path, rank, what, in, gzipped ? fileSize * MAX_DEFLATE_RATIO : fileSize, gzipped);
        } catch (EOFException e) {
            throw new DataFileException(path + ": the gzip stream ends early (truncated or partly downloaded file)", e);
        } catch (ZipException e) {
            throw new DataFileException(path + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }

    /** {@code capacity}: the most bytes the (decompressed) content can have, given the file's size. */
    private static IdxFile read(Path path, int rank, String what, InputStream in, long capacity, boolean gzipped) throws IOException {
        String content = gzipped ? "decompressed content" : "file";
        int expectedMagic = (UNSIGNED_BYTE << 8) | rank;
        byte[] start = in.readNBytes(4);
        if (start.length < 4) {
            throw new DataFileException(path + ": " + content + " of " + start.length + " bytes, too short for an IDX header (expected "
                    + what + ")");
        }
        int magic = readInt(start, 0);
        if (magic != expectedMagic) {
            throw new DataFileException(path + ": bad magic number 0x" + String.format("%08X", magic) + ", expected 0x"
                    + String.format("%08X", expectedMagic) + " for " + what + " (IDX, unsigned bytes, " + rank + " dimensions)");
        }
        int header = 4 + 4 * rank;
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new DataFileException(path + ": truncated IDX header: " + content + " of " + (4 + dimBytes.length)
                    + " bytes, expected " + header);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readInt(dimBytes, 4 * i);
            if (dims[i] <= 0) {
                throw new DataFileException(path + ": dimension " + i + " is " + dims[i] + " (dims " + Arrays.toString(dims)
                        + "), expected a positive size");
            }
            count *= dims[i];
            if (count > Integer.MAX_VALUE - header) {
                throw new DataFileException(path + ": dims " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " declare more than 2^31 values, more than an IDX file of " + what + " can hold here");
            }
        }
        long expected = header + count;
        String shape = Arrays.toString(dims);
        String declared = " (" + header + "-byte header + " + count + " values for " + what + " of shape " + shape + ")";
        if (expected > capacity) {
            throw new DataFileException(path + ": truncated: " + (gzipped ? "a gzip file of " + capacity / MAX_DEFLATE_RATIO
                    + " bytes cannot hold " : "the file has " + capacity + " bytes, expected ") + expected + " bytes" + declared);
        }
        byte[] b = new byte[(int) expected];
        System.arraycopy(start, 0, b, 0, 4);
        System.arraycopy(dimBytes, 0, b, 4, dimBytes.length);
        int got = in.readNBytes(b, header, (int) count);
        if (got < count) {
            throw new DataFileException(path + ": truncated: " + content + " of " + (header + got) + " bytes, expected "
                    + expected + declared);
        }
        if (in.read() >= 0) {
            throw new DataFileException(path + ": trailing bytes: " + content + " longer than the expected " + expected
                    + " bytes" + declared);
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
