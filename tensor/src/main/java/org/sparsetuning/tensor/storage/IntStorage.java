package org.sparsetuning.tensor.storage;

import org.sparsetuning.tensor.DType;

/** int32 elements (indices, labels) in a heap array. */
public final class IntStorage extends Storage {
    private int[] data;

    public IntStorage(int length) {
        this(new int[length]);
    }

    public IntStorage(int[] data) {
        super(DType.I32, data.length);
        this.data = data;
    }

    public int[] array() {
        int[] d = data;
        if (d == null) {
            throw released();
        }
        return d;
    }

    @Override
    public DType dtype() {
        return DType.I32;
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
        array()[(int) i] = (int) v;
    }

    @Override
    protected void dropBuffer() {
        data = null;
    }
}
