package org.sparsetuning.nn.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sparsetuning.tensor.Shape;
import org.sparsetuning.tensor.Tensor;
import org.sparsetuning.tensor.storage.TensorScope;

/**
 * Reads NumPy .npy arrays, format versions 1, 2 and 3. Supported element types: {@code f8} (narrowed to F32),
 * {@code f4}, {@code f2} (widened to F32), {@code i8} (must fit in int32), {@code i4}, {@code i2}, {@code i1},
 * {@code u1} and {@code b1} (to I32), little- or big-endian. Fortran-ordered arrays are transposed into the
 * engine's row-major layout. The header is parsed as a literal, never evaluated.
 */
public final class NpyReader {
    /** numpy itself refuses headers over 10 000 bytes by default; this leaves room and still bounds allocation. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyReader() {
    }

    /** Reads a whole .npy file; bytes after the array's data are an error (the file is not what it claims). */
    public static Tensor read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Tensor t = read(in, file.toString(), size);
            checkEnd(in, file.toString());
            return t;
        }
    }

    /**
     * Reads one array from the stream, leaving the stream just after its data. {@code what} names the source
     * (file, or archive and key) in error messages. {@code length} is how many bytes the array occupies (the
     * file's size, or the zip entry's): the header's shape must account for exactly those bytes, which is checked
     * before anything of that size is allocated, so a small file cannot ask for gigabytes.
     */
    public static Tensor read(InputStream in, String what, long length) throws IOException {
        byte[] magic = readBytes(in, 6, what, "magic string");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new CheckpointFormatException(what + ": bad magic, not a .npy array (expected \\x93NUMPY)");
            }
        }
        byte[] version = readBytes(in, 2, what, "format version");
        int major = version[0] & 0xff;
        if (major < 1 || major > 3) {
            throw new CheckpointFormatException(what + ": unsupported .npy format version " + major + "." + (version[1] & 0xff)
                    + " (supported: 1, 2, 3)");
        }
        int lenSize = major == 1 ? 2 : 4;
        ByteBuffer lenBytes = ByteBuffer.wrap(readBytes(in, lenSize, what, "header length")).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? lenBytes.getShort() & 0xffff : lenBytes.getInt() & 0xffffffffL;
        long prefix = 6 + 2 + lenSize;
        if (headerLen > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(what + ": header length " + headerLen + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (prefix + headerLen > length) {
            throw new CheckpointFormatException(what + ": header length " + headerLen + " runs past the end of the "
                    + length + "-byte array (truncated?)");
        }
        byte[] headerBytes = readBytes(in, (int) headerLen, what, "header");
        // Versions 1 and 2 store the header in latin-1; version 3 switched to UTF-8.
        String header = decode(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1, what);
        NpyHeader h = NpyHeader.parse(header, what);
        int[] shape = h.shape();
        long dataBytes = (long) Shape.numel(shape) * h.type().size();
        long present = length - prefix - headerLen;
        if (dataBytes != present) {
            throw new CheckpointFormatException(what + ": shape " + Arrays.toString(shape) + " of " + h.type() + " needs "
                    + dataBytes + " data bytes, but " + present + " follow the header"
                    + (dataBytes > present ? " (truncated, or a wrong shape)" : " (a wrong shape, or bytes appended)"));
        }
        if (!h.fortranOrder() || shape.length < 2) {
            return TensorDecoding.decode(ByteSource.of(in), h.type(), shape, h.order(), what);
        }
        // Fortran order is row-major order of the reversed shape; read it that way, then transpose back.
        int rank = shape.length;
        int[] reversed = new int[rank];
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            reversed[i] = shape[rank - 1 - i];
            perm[i] = rank - 1 - i;
        }
        try (TensorScope scope = TensorScope.open()) {
            Tensor raw = TensorDecoding.decode(ByteSource.of(in), h.type(), reversed, h.order(), what);
            Tensor rowMajor = raw.permute(perm).contiguous();
            scope.escape(rowMajor.storage());
            return rowMajor;
        }
    }

    static void checkEnd(InputStream in, String what) throws IOException {
        long extra = 0;
        while (in.read() >= 0) {
            extra++;
        }
        if (extra > 0) {
            throw new CheckpointFormatException(what + ": " + extra + " unexpected bytes after the array data "
                    + "(shape and data size disagree)");
        }
    }

    private static String decode(byte[] bytes, Charset cs, String what) throws CheckpointFormatException {
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointFormatException(what + ": header is not valid " + cs.name(), e);
        }
    }

    private static byte[] readBytes(InputStream in, int n, String what, String part) throws IOException {
        byte[] b = new byte[n];
        try {
            ByteSource.of(in).readFully(ByteBuffer.wrap(b));
        } catch (EOFException e) {
            throw new CheckpointFormatException(what + ": truncated in the " + part + " (" + n + " bytes expected)", e);
        }
        return b;
    }

    /** The three keys every .npy header has, checked. */
    record NpyHeader(StoredType type, ByteOrder order, boolean fortranOrder, int[] shape) {
        static NpyHeader parse(String text, String what) throws CheckpointFormatException {
            Map<String, Object> dict;
            try {
                dict = PyLiteral.parseDict(text);
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(what + ": malformed header: " + e.getMessage(), e);
            }
            if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
                throw new CheckpointFormatException(what + ": header keys " + dict.keySet()
                        + " are not exactly descr, fortran_order, shape");
            }
            if (!(dict.get("descr") instanceof String descr)) {
                throw new CheckpointFormatException(what + ": descr " + dict.get("descr")
                        + " is not a simple dtype (structured arrays are not supported)");
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw new CheckpointFormatException(what + ": fortran_order must be True or False");
            }
            if (!(dict.get("shape") instanceof List<?> dims)) {
                throw new CheckpointFormatException(what + ": shape must be a tuple of integers");
            }
            int[] shape = new int[dims.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                if (!(dims.get(i) instanceof Long d)) {
                    throw new CheckpointFormatException(what + ": shape " + dims + " must hold integers");
                }
                if (d < 0) {
                    throw new CheckpointFormatException(what + ": shape " + dims + " has a negative dimension");
                }
                if (d > Integer.MAX_VALUE || (numel *= d) > Integer.MAX_VALUE) {
                    throw new CheckpointFormatException(what + ": shape " + dims + " has more than 2^31-1 elements");
                }
                shape[i] = (int) (long) d;
            }
            return new NpyHeader(type(descr, what), order(descr, what), fortran, shape);
        }

        private static StoredType type(String descr, String what) throws CheckpointFormatException {
            String code = descr.length() == 3 ? descr.substring(1) : "";
            StoredType t = switch (code) {
                case "f8" -> StoredType.F64;
                case "f4" -> StoredType.F32;
                case "f2" -> StoredType.F16;
                case "i8" -> StoredType.I64;
                case "i4" -> StoredType.I32;
                case "i2" -> StoredType.I16;
                case "i1" -> StoredType.I8;
                case "u1" -> StoredType.U8;
                case "b1" -> StoredType.BOOL;
                default -> null;
            };
            if (t == null) {
                throw new CheckpointFormatException(what + ": unsupported dtype descr '" + descr
                        + "' (supported: f8 f4 f2 i8 i4 i2 i1 u1 b1)");
            }
            return t;
        }

        private static ByteOrder order(String descr, String what) throws CheckpointFormatException {
            return switch (descr.charAt(0)) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN; // '|' marks single bytes, where order is moot
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '=' -> ByteOrder.nativeOrder();
                default -> throw new CheckpointFormatException(what + ": dtype descr '" + descr + "' has no byte-order mark");
            };
        }
    }
}
