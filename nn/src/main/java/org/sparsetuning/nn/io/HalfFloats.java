package org.sparsetuning.nn.io;

/** IEEE 754 binary16 to binary32, exactly (every half value is representable as a float). */
final class HalfFloats {
    private HalfFloats() {
    }

    /** Java 17 has no {@code Float.float16ToFloat} (it arrived in 20), so the bit layout is unpacked here. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Inf keeps a zero mantissa; NaN keeps its payload, shifted into the float's mantissa.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: the value is mant * 2^-24, which a float holds exactly.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
