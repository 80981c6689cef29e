package org.sparsetuning.tensor.storage;

import org.sparsetuning.tensor.DType;

/** float32 elements in a heap array. */
public final class FloatStorage extends Storage {
    private float[] data;

    public FloatStorage(int length) {
        this(new float[length]);
    }

    /** Wraps the array without copying; the storage owns it from now on. */
    public FloatStorage(float[] data) {
        super(DType.F32, data.length);
        this.data = data;
    }

    /** The backing array; throws if the storage was released. */
    public float[] array() {
        float[] d = data;
        if (d == null) {
            throw released();
        }
        return d;
    }

    @Override
    public DType dtype() {
        return DType.F32;
    }

    @Override
    public long length() {
        return array().length;
    }

    @Override
    public double getDouble(long i) {
        return array()[(int) i];
    }

    @Override
    public void setDouble(long i, double v) {
        array()[(int) i] = (float) v;
    }

    @Override
    protected void dropBuffer() {
        data = null;
    }
}
