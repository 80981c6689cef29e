package org.sparsetuning.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.sparsetuning.tensor.Tensor;

/**
 * Reads safetensors files: an 8-byte little-endian header length, a JSON header, then the raw
 * little-endian tensor bytes. Floating dtypes (F64, F32, F16, BF16) arrive as F32 tensors, integer and
 * boolean dtypes (I64, I32, I16, I8, U8, BOOL) as I32 tensors; an I64 value outside int range is an error.
 * Data is read by position through a small buffer, so a 1.2 GB checkpoint costs its floats and no more.
 * Trailing bytes after the last tensor are allowed, as the format permits; gaps between tensors too.
 */
public final class SafetensorsReader {
    /** Larger headers are refused before allocation; real ones are a few kilobytes to a few megabytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafetensorsReader() {
    }

    /** Every tensor, in the header's order, and the metadata. */
    public static SafetensorsContent read(Path file) throws IOException {
        return read(file, name -> true);
    }

    /** Only the tensors whose names {@code wanted} accepts (the whole header is still validated). */
    public static SafetensorsContent read(Path file, Predicate<String> wanted) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = readHeader(file, ch);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (SafetensorsEntry e : header.entries()) {
                if (!wanted.test(e.name())) {
                    continue;
                }
                String what = file + ": tensor '" + e.name() + "'";
                StoredType type = StoredType.valueOf(e.dtype());
                ByteSource src = ByteSource.of(ch, header.dataStart() + e.begin());
                tensors.put(e.name(), TensorDecoding.decode(src, type, e.shape(), ByteOrder.LITTLE_ENDIAN, what));
            }
            return new SafetensorsContent(tensors, header.metadata());
        }
    }

    /** The validated header alone: names, dtypes, shapes and offsets, without reading any tensor. */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    private static SafetensorsHeader readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new CheckpointFormatException(file + ": file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long headerLen = lenBuf.flip().getLong();
        if (headerLen < 0) {
            throw new CheckpointFormatException(file + ": header length " + Long.toUnsignedString(headerLen)
                    + " is beyond any real file (read as a signed 64-bit value it is negative)");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file + ": header length " + headerLen + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (8 + headerLen > size) {
            throw new CheckpointFormatException(file + ": header length " + headerLen + " runs past the end of the "
                    + size + "-byte file (truncated?)");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8, file);
        long dataStart = 8 + headerLen;
        return SafetensorsHeaderParser.parse(file.toString(), headerBuf.array(), dataStart, size - dataStart);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        try {
            ByteSource.of(ch, position).readFully(dst);
        } catch (EOFException e) {
            // The size was checked first, so this means the file shrank while being read.
            throw new CheckpointFormatException(file + ": file ended while reading its header", e);
        }
    }
}
