package org.sparsetuning.opencl.aparapi;

import com.aparapi.Kernel;

/**
 * Host side of explicit buffer management. Aparapi keeps one device buffer per kernel array field and
 * reallocates it when the field points to a different array, so arrays are reused while the size stays the
 * same; {@code put} marks an array to be written to the device at the next execution, {@code get} reads it
 * back now.
 *
 * <p>Two facts from Aparapi's native code shape the rules here. On a device that shares host memory
 * (PoCL's CPU device) buffers alias the pinned Java arrays, so a missing put or get goes unnoticed there;
 * on a GPU it reads stale data. Hence every host write below is followed by a put, and every result is read
 * with a get. And when the garbage collector has moved an array since the last execution, Aparapi drops its
 * buffer and makes a new one from the host copy: the device copy is only as current as the host array.
 * Every device array here therefore mirrors its host array (inputs are written on the host and put; outputs
 * are read back before the next upload), which keeps that re-upload harmless; chaining kernels on
 * device-only intermediates would not be safe with Aparapi.
 */
final class DeviceArrays {
    private DeviceArrays() {
    }

    /** current if it has exactly n elements, else a new array (whose device buffer Aparapi will allocate). */
    static float[] sized(float[] current, int n) {
        return current.length == n ? current : new float[n];
    }

    /** Copies src[offset, offset + n) into a kernel array of n elements and schedules its upload. */
    static float[] upload(Kernel kernel, float[] current, float[] src, int offset, int n) {
        if (n < 1) {
            // Empty tensors never reach a kernel (the facade answers them on the host); zero-length device
            // buffers are invalid in OpenCL.
            throw new IllegalArgumentException("a device array needs at least one element, got " + n);
        }
        float[] dst = sized(current, n);
        System.arraycopy(src, offset, dst, 0, n);
        kernel.put(dst);
        return dst;
    }

    /** Reads a kernel array back from the device and copies its first n elements to dst[offset, ...). */
    static void download(Kernel kernel, float[] deviceArray, float[] dst, int offset, int n) {
        kernel.get(deviceArray);
        System.arraycopy(deviceArray, 0, dst, offset, n);
    }
}
