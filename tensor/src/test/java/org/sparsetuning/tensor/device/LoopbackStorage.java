package org.sparsetuning.tensor.device;

import org.sparsetuning.tensor.DType;
import org.sparsetuning.tensor.storage.Storage;

/**
 * Memory of the test-only {@code loopback} device: host memory that reports another device name, so every
 * path that must not mix devices (or must cross explicitly) is exercised without native code. Values are
 * rounded to the dtype on every write, as a real F32 or I32 buffer would.
 */
public final class LoopbackStorage extends Storage {
    private final DType dtype;
    private final String device;
    private double[] data;

    LoopbackStorage(DType dtype, int length, String device) {
        super(dtype, length);
        this.dtype = dtype;
        this.device = device;
        this.data = new double[length];
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long length() {
        return live().length;
    }

    @Override
    public double getDouble(long i) {
        return live()[(int) i];
    }

    @Override
    public void setDouble(long i, double v) {
        switch (dtype) {
            case F32:
                live()[(int) i] = (float) v;
                break;
            case I32:
                live()[(int) i] = (int) v;
                break;
            default:
                live()[(int) i] = v;
        }
    }

    @Override
    public String device() {
        return device;
    }

    private double[] live() {
        double[] d = data;
        if (d == null) {
            throw released();
        }
        return d;
    }

    @Override
    protected void dropBuffer() {
        data = null;
    }
}
