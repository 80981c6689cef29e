package org.sparsetuning.nn.io;

import java.nio.ByteBuffer;
import org.sparsetuning.tensor.DType;

/**
 * Element types as they lie on disk, and how each widens or narrows into one of the engine's dtypes:
 * floating types become F32, integer and boolean types become I32. Decoding reads {@code n} elements from a
 * buffer whose byte order the caller has set.
 */
enum StoredType {
    F64(8, DType.F32),
    F32(4, DType.F32),
    F16(2, DType.F32),
    BF16(2, DType.F32),
    I64(8, DType.I32),
    I32(4, DType.I32),
    I16(2, DType.I32),
    I8(1, DType.I32),
    U8(1, DType.I32),
    BOOL(1, DType.I32);

    private final int size;
    private final DType target;

    StoredType(int size, DType target) {
        this.size = size;
        this.target = target;
    }

    /** Bytes per element on disk. */
    int size() {
        return size;
    }

    /** The engine dtype this type is read into. */
    DType target() {
        return target;
    }

    /** Decodes {@code n} elements into {@code dst[off..off+n)}; valid only when {@link #target()} is F32. */
    void decodeFloats(ByteBuffer src, float[] dst, int off, int n) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, off, n);
            case F64 -> {
                // Narrowing rounds to nearest; values beyond float range become ±inf, as numpy's astype does.
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) src.getDouble();
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = HalfFloats.halfToFloat(src.getShort());
                }
            }
            case BF16 -> {
                // bfloat16 is the top half of a float32, so widening is exact.
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Float.intBitsToFloat((src.getShort() & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(this + " does not decode to floats");
        }
        if (this == F32) {
            src.position(src.position() + n * 4);
        }
    }

    /**
     * Decodes {@code n} elements into {@code dst[off..off+n)}; valid only when {@link #target()} is I32.
     * Returns -1 on success, otherwise the index (within this call) of the first value that does not fit
     * (an I64 outside int range, a BOOL byte other than 0 or 1), so the caller can name it.
     */
    int decodeInts(ByteBuffer src, int[] dst, int off, int n) {
        switch (this) {
            case I32 -> {
                src.asIntBuffer().get(dst, off, n);
                src.position(src.position() + n * 4);
            }
            case I64 -> {
                for (int i = 0; i < n; i++) {
                    long v = src.getLong();
                    if (v != (int) v) {
                        return i;
                    }
                    dst[off + i] = (int) v;
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.getShort();
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.get();
                }
            }
            case U8 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = src.get() & 0xff;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    int b = src.get() & 0xff;
                    if (b > 1) {
                        return i;
                    }
                    dst[off + i] = b;
                }
            }
            default -> throw new IllegalStateException(this + " does not decode to ints");
        }
        return -1;
    }
}
