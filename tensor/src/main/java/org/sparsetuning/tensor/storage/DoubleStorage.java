package org.sparsetuning.tensor.storage;

import org.sparsetuning.tensor.DType;

/** float64 elements in a heap array; used by gradient checks through the reference backend. */
public final class DoubleStorage extends Storage {
    private double[] data;

    public DoubleStorage(int length) {
        this(new double[length]);
    }

    public DoubleStorage(double[] data) {
        super(DType.F64, data.length);
        this.data = data;
    }

    public double[] array() {
        double[] d = data;
        if (d == null) {
            throw released();
        }
        return d;
    }

    @Override
    public DType dtype() {
        return DType.F64;
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
        array()[(int) i] = v;
    }

    @Override
    protected void dropBuffer() {
        data = null;
    }
}
