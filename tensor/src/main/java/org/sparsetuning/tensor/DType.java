package org.sparsetuning.tensor;

/** Element types a tensor can hold. F32 is the compute type; F64 exists so gradient checks can run in double. */
public enum DType {
    F32(4), F64(8), I32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return this != I32;
    }
}
